export declare const strykerPlugins: readonly unknown[];
