/** Escaping for GitHub Actions workflow commands (`::error file=…::message`). */

export function githubEscapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function githubEscapeProperty(text: string): string {
  return githubEscapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
