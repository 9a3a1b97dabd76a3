/**
 * The part of the page script that shows one scenario: its error, each
 * attempt, the steps as collapsible exchanges (the failed one open and
 * marked), CLI runs, SQL, and the service log lines of the scenario. A test
 * that recorded no transcript (a pytest test, say) shows its traceback and
 * captured output instead.
 */
export const SCENARIO_VIEW_SCRIPT = String.raw`
function headersTable(headers) {
  if (!headers.length) return null;
  return el('table', { class: 'headers' }, [el('tbody', {}, headers.map(function (h) { return el('tr', {}, [el('td', { text: h[0] }), el('td', { text: h[1] })]); }))]);
}

function stepBody(step) {
  if (step.kind === 'http') {
    return [el('h4', { text: 'request' }), el('pre', { text: step.method + ' ' + step.url }), headersTable(step.requestHeaders), step.requestBody ? el('pre', { class: 'body', text: step.requestBody }) : null,
      el('h4', { text: 'response ' + step.status + ' (' + duration(step.durationMs) + ')' }), headersTable(step.responseHeaders), step.responseBody ? el('pre', { class: 'body', text: step.responseBody }) : el('p', { class: 'empty', text: 'empty body' })];
  }
  if (step.kind === 'cli') {
    return [el('pre', { text: '$ ' + step.argv.join(' ') + (step.cwd ? '\n(in ' + step.cwd + ')' : '') }), el('p', { text: 'exit ' + step.exitCode + ' after ' + duration(step.durationMs) }),
      el('h4', { text: 'stdout' }), step.stdout ? el('pre', { text: step.stdout }) : el('p', { class: 'empty', text: 'empty' }),
      el('h4', { text: 'stderr' }), step.stderr ? el('pre', { text: step.stderr }) : el('p', { class: 'empty', text: 'empty' })];
  }
  return [el('pre', { text: step.text }), el('p', { text: 'database ' + step.database + ' · ' + (step.error ? 'error: ' + step.error : (step.rowCount === null ? '-' : step.rowCount) + ' rows') + ' · ' + duration(step.durationMs) })];
}

function stepView(step, index) {
  if (step.kind === 'note') return el('div', { class: 'note', text: '# ' + step.text });
  return el('details', { class: 'step ' + step.kind + (step.failed ? ' failed' : ''), open: step.failed, 'data-step': index + 1 },
    [el('summary', { text: '#' + (index + 1) + ' ' + step.summary }), el('div', {}, stepBody(step))]);
}

function errorView(error) {
  var parts = [el('pre', { class: 'message', text: error.message })];
  if (error.expected !== undefined) parts.push(el('h4', { text: 'expected' }), el('pre', { text: error.expected }), el('h4', { text: 'actual' }), el('pre', { text: error.actual || '' }));
  if (error.stack) parts.push(el('details', {}, [el('summary', { text: 'stack / traceback' }), el('pre', { text: error.stack })]));
  if (error.output) parts.push(el('h4', { text: 'captured output' }), el('pre', { text: error.output }));
  return el('div', { class: 'error' }, parts);
}

function logsView(logs) {
  var shown = (logs || []).filter(function (tail) { return tail.lines.length > 0; });
  if (!shown.length) return [el('p', { class: 'empty', text: 'No service log lines for this attempt.' })];
  return shown.map(function (tail) { return el('div', {}, [el('h4', { text: tail.service + ' (' + tail.lines.length + ' lines)' }), el('pre', { class: 'log', text: tail.lines.join('\n') })]); });
}

function runView(run) {
  var parts = [];
  if (run.error) parts.push(errorView(run.error));
  var exchanges = run.steps.filter(function (step) { return step.kind !== 'note'; }).length;
  parts.push(el('h3', { text: 'Steps (' + exchanges + ')' }));
  if (!run.steps.length) parts.push(el('p', { class: 'empty', text: 'This test recorded no transcript.' }));
  parts.push(el('div', { class: 'steps' }, run.steps.map(stepView)));
  parts.push(el('h3', { text: 'Service log lines' }));
  return parts.concat(logsView(run.logs));
}

function renderScenario(s) {
  var body = el('div', { id: 'run' });
  var runs = s.runs;
  function show(index) {
    body.replaceChildren.apply(body, runView(runs[index]));
    Array.prototype.forEach.call(document.querySelectorAll('.attempts button'), function (b, i) { b.setAttribute('aria-selected', String(i === index)); });
  }
  var facts = [s.file + ':' + s.line, STATUS[s.capabilityStatus] || s.capabilityStatus, duration(s.durationMs), s.attempts + (s.attempts === 1 ? ' attempt' : ' attempts')];
  var parts = [el('a', { class: 'back', href: '#', text: '← all scenarios' }), el('h2', { id: 'scenario-title', text: s.capability + ' › ' + s.name }),
    el('p', {}, [badge(s.outcome), ' ', el('span', { class: 'muted', text: facts.join(' · ') })])];
  if (s.skipReason) parts.push(el('p', { class: 'empty', text: 'skipped: ' + s.skipReason }));
  if (runs.length > 1) {
    parts.push(el('div', { class: 'attempts', role: 'tablist' }, runs.map(function (run, i) {
      return el('button', { type: 'button', role: 'tab', onclick: function () { show(i); }, text: 'attempt ' + run.attempt + (run.passed ? ' ✓' : ' ✗') + (run.durationMs === undefined ? '' : ' · ' + duration(run.durationMs)) });
    })));
  }
  parts.push(body);
  app.replaceChildren.apply(app, parts);
  if (runs.length) show(runs.length - 1);
}
`;
