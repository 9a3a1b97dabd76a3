/**
 * The HTML report's page script (plain ES2020, no dependencies): the run
 * overview with outcome counts, filters, the capability matrix by domain and
 * the scenario table; a view per scenario (`#/scenario/<id>`) with the error,
 * every attempt, its steps as collapsible exchanges and its log lines. Every
 * value from the run is set as text, never as markup.
 */
import { SCENARIO_VIEW_SCRIPT } from './scenario-view-script.ts';

const OVERVIEW_SCRIPT = String.raw`
var data = JSON.parse(document.getElementById('report-data').textContent);
var app = document.getElementById('app');
var OUTCOMES = ['failed', 'unexpected-pass', 'flaky', 'expected-failure', 'passed', 'skipped'];
var LABELS = { passed: 'passed', failed: 'failed', flaky: 'flaky', 'expected-failure': 'expected failure', 'unexpected-pass': 'unexpected pass', skipped: 'skipped' };
var MARKS = { passed: '✓', failed: '✗', flaky: '~', 'expected-failure': '○', 'unexpected-pass': '!', skipped: '-' };
var STATUS = { planned: 'planned', in_progress: 'in progress', implemented: 'implemented' };
var filters = { outcome: '', domain: '', status: '', text: '' };

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    var value = attrs[key];
    if (value === undefined || value === null || value === false) return;
    if (key === 'text') node.textContent = String(value);
    else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  });
  (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.append(child); });
  return node;
}
function duration(ms) { return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s'; }
function badge(outcome) { return el('span', { class: 'badge o-' + outcome, text: LABELS[outcome] || outcome }); }
function unique(values) { return values.filter(function (v, i) { return v && values.indexOf(v) === i; }).sort(); }

function scenarioMatches(s) {
  if (filters.outcome && s.outcome !== filters.outcome) return false;
  if (filters.domain && s.domain !== filters.domain) return false;
  if (filters.status && s.capabilityStatus !== filters.status) return false;
  var text = filters.text.toLowerCase();
  return !text || (s.capability + ' ' + s.name + ' ' + s.file).toLowerCase().indexOf(text) >= 0;
}
function capabilityMatches(c) {
  if (filters.outcome && c.outcome !== filters.outcome) return false;
  if (filters.domain && c.domain !== filters.domain) return false;
  if (filters.status && c.status !== filters.status) return false;
  var text = filters.text.toLowerCase();
  if (!text || (c.id + ' ' + c.title).toLowerCase().indexOf(text) >= 0) return true;
  return data.scenarios.some(function (s) { return s.capability === c.id && s.name.toLowerCase().indexOf(text) >= 0; });
}

function header() {
  var stack = data.stack ? 'stack ' + data.stack.kind : 'no stack';
  var parts = [el('h1', {}, ['santokit-it ', badge(data.status === 'passed' ? 'passed' : data.status === 'failed' ? 'failed' : 'skipped')]),
    el('p', { class: 'muted', text: [data.startedAt, duration(data.durationMs), stack, 'exit ' + data.exitCode, data.strict ? 'strict' : ''].filter(Boolean).join(' · ') })];
  if (data.error) parts.push(el('div', { class: 'error' }, [el('pre', { text: data.error.message + (data.error.hint ? '\n' + data.error.hint : '') })]));
  var failure = data.stack && data.stack.failure;
  if (failure) parts.push(el('div', { class: 'error' }, [el('p', { text: 'stack failed to start: ' + failure.service + ', waited for ' + failure.waitedFor }), el('pre', { text: failure.logTail.join('\n') })]));
  return parts;
}

function countsBar(refresh) {
  return el('div', { class: 'counts', id: 'counts' }, OUTCOMES.map(function (outcome) {
    return el('button', { type: 'button', class: 'count o-' + outcome, 'data-outcome': outcome, 'aria-pressed': String(filters.outcome === outcome),
      onclick: function () { filters.outcome = filters.outcome === outcome ? '' : outcome; refresh(true); } },
      [el('b', { text: data.counts[outcome] || 0 }), LABELS[outcome]]);
  }));
}

function select(id, label, values, key, names, refresh) {
  var options = [el('option', { value: '', text: 'any ' + label })].concat(values.map(function (v) { return el('option', { value: v, text: names[v] || v, selected: filters[key] === v }); }));
  return el('select', { id: id, 'aria-label': label, onchange: function (event) { filters[key] = event.target.value; refresh(true); } }, options);
}

function matrix() {
  var domains = unique(data.capabilities.map(function (c) { return c.domain; }));
  return domains.map(function (domain) {
    var tiles = data.capabilities.filter(function (c) { return c.domain === domain && capabilityMatches(c); }).map(function (c) {
      return el('a', { href: '#', class: 'tile o-' + c.outcome + ' s-' + c.status, 'data-capability': c.id, title: c.title + ' — ' + LABELS[c.outcome] + ', ' + STATUS[c.status],
        onclick: function (event) { event.preventDefault(); filters.text = c.id; render(); } },
        [el('b', { text: c.id }), el('span', { text: LABELS[c.outcome] + ' · ' + c.scenarios }), c.status === 'implemented' ? null : el('span', { class: 'tag', text: STATUS[c.status] })]);
    });
    return tiles.length ? el('section', { class: 'domain' }, [el('h3', { text: domain }), el('div', { class: 'tiles' }, tiles)]) : null;
  });
}

function scenarioTable() {
  var rows = data.scenarios.filter(scenarioMatches).map(function (s) {
    return el('tr', { class: 'row o-' + s.outcome, 'data-id': s.id, 'data-outcome': s.outcome, onclick: function () { location.hash = '#/scenario/' + encodeURIComponent(s.id); } }, [
      el('td', { class: 'mark', text: MARKS[s.outcome], title: LABELS[s.outcome] }), el('td', { text: s.capability }), el('td', {}, [el('a', { href: '#/scenario/' + encodeURIComponent(s.id), text: s.name })]),
      el('td', { class: 'muted', text: LABELS[s.outcome] }), el('td', { class: 'num', text: duration(s.durationMs) }), el('td', { class: 'num', text: s.attempts > 1 ? s.attempts + ' attempts' : '' })]);
  });
  var head = el('tr', {}, ['', 'capability', 'scenario', 'outcome', 'duration', ''].map(function (t) { return el('th', { text: t }); }));
  return rows.length ? el('table', { id: 'scenarios' }, [el('thead', {}, [head]), el('tbody', {}, rows)]) : el('p', { class: 'empty', id: 'scenarios', text: 'No scenario matches the filters.' });
}

function renderOverview() {
  var lists = el('div', {});
  function refresh(full) {
    if (full) return render();
    var shown = data.scenarios.filter(scenarioMatches).length;
    lists.replaceChildren(el('h2', { text: 'Capabilities' }), el('div', { id: 'matrix' }, matrix()), el('h2', { text: 'Scenarios (' + shown + ' of ' + data.scenarios.length + ')' }), scenarioTable());
  }
  var text = el('input', { id: 'filter-text', type: 'search', placeholder: 'filter: capability, scenario, file', value: filters.text, oninput: function (event) { filters.text = event.target.value; refresh(false); } });
  var bar = el('div', { class: 'filters' }, [select('filter-outcome', 'outcome', OUTCOMES, 'outcome', LABELS, refresh),
    select('filter-domain', 'domain', unique(data.scenarios.map(function (s) { return s.domain; })), 'domain', {}, refresh),
    select('filter-status', 'status', ['implemented', 'in_progress', 'planned'], 'status', STATUS, refresh), text]);
  refresh(false);
  app.replaceChildren.apply(app, header().concat([countsBar(refresh), bar, lists]));
}

function render() {
  var match = /^#\/scenario\/(.+)$/.exec(location.hash);
  var scenario = match && data.scenarios.find(function (s) { return s.id === decodeURIComponent(match[1]); });
  if (scenario) renderScenario(scenario); else renderOverview();
}
window.addEventListener('hashchange', function () { render(); window.scrollTo(0, 0); });
`;

export const REPORT_SCRIPT = `(function () {\n'use strict';${OVERVIEW_SCRIPT}${SCENARIO_VIEW_SCRIPT}render();\n})();`;
