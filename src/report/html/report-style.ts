/** The HTML report's stylesheet: plain CSS, light and dark, one colour per outcome. */
export const REPORT_STYLE = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--panel:#f6f8fa;
--passed:#1a7f37;--failed:#cf222e;--flaky:#bf8700;--expected-failure:#6e7781;--unexpected-pass:#8250df;--skipped:#afb8c1}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px 20px 48px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h4{font-size:12px;margin:10px 0 2px;color:var(--muted)}
h3{font-size:13px;margin:12px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
a{color:inherit}
.muted{color:var(--muted)}
pre{margin:4px 0;padding:8px 10px;background:var(--panel);border:1px solid var(--line);border-radius:6px;overflow:auto;max-height:480px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-break:break-word}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;background:var(--muted)}
.o-passed{--c:var(--passed)}.o-failed{--c:var(--failed)}.o-flaky{--c:var(--flaky)}.o-expected-failure{--c:var(--expected-failure)}.o-unexpected-pass{--c:var(--unexpected-pass)}.o-skipped{--c:var(--skipped)}
.badge[class*=o-]{background:var(--c)}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.count{border:1px solid var(--line);border-left:6px solid var(--c);border-radius:6px;padding:4px 10px;background:var(--panel);cursor:pointer;font:inherit;color:inherit}
.count b{font-size:16px;margin-right:4px}.count[aria-pressed=true]{outline:2px solid var(--c)}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0 4px}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:inherit}
.filters input{min-width:220px}
.domain{margin-bottom:6px}
.tiles{display:flex;flex-wrap:wrap;gap:6px}
.tile{display:inline-flex;flex-direction:column;min-width:104px;padding:4px 8px;border-radius:6px;border:2px solid var(--c);background:color-mix(in srgb,var(--c) 16%,transparent);text-decoration:none;font-size:12px}
.tile b{font-size:13px}
.tile.o-expected-failure{background:repeating-linear-gradient(135deg,color-mix(in srgb,var(--c) 22%,transparent) 0 6px,transparent 6px 12px)}
.tile.s-planned{border-style:dashed}.tile.s-in_progress{border-style:dotted}
.tag{font-size:10px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
tr.row{cursor:pointer}tr.row:hover{background:var(--panel)}
.mark{font-weight:700;color:var(--c)}
.num{text-align:right;white-space:nowrap}
.back{display:inline-block;margin:8px 0}
.error{border-left:4px solid var(--failed);padding-left:10px}
.attempts{display:flex;gap:6px;margin:8px 0}
.attempts button{font:inherit;border:1px solid var(--line);background:var(--panel);color:inherit;border-radius:6px;padding:3px 10px;cursor:pointer}
.attempts button[aria-selected=true]{border-color:var(--fg);font-weight:600}
details.step{border:1px solid var(--line);border-radius:6px;margin:4px 0;background:var(--bg)}
details.step>summary{cursor:pointer;padding:4px 8px;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
details.step>div{padding:0 10px 8px}
details.step.failed{border-color:var(--failed);border-width:2px}
details.step.failed>summary::before{content:"failed here · ";color:var(--failed);font-weight:700}
.note{padding:2px 8px;color:var(--muted);font-style:italic}
.headers{width:auto}.headers td{padding:1px 8px;border:0;font:12px ui-monospace,monospace}.headers td:first-child{color:var(--muted);white-space:nowrap}
.empty{color:var(--muted);font-style:italic}
`;
