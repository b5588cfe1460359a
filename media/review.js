// SpecGate review panel script. Receives the packet data by postMessage and renders it
// with DOM nodes and textContent only: nothing from the packet is ever parsed as HTML.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /**
   * Bidirectional embedding, override and isolate controls shown as `\u{202e}`: invisible,
   * they make a name or a line of code read other than it is ("Trojan Source").
   * @param {unknown} text
   */
  function shown(text) {
    return String(text).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  }

  /**
   * @param {string} tag
   * @param {string} [cls]
   * @param {string} [text]
   */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = shown(text);
    return e;
  }

  /** @param {HTMLElement} parent @param {...Node} kids */
  function add(parent, ...kids) {
    for (const k of kids) parent.appendChild(k);
    return parent;
  }

  function section(title, count) {
    const s = el('section');
    const h = el('h2', undefined, title);
    if (count !== undefined) add(h, el('span', 'count', String(count)));
    add(s, h);
    return s;
  }

  function findingsTable(items) {
    const t = el('table', 'findings');
    const head = add(el('tr'), el('th', undefined, 'Severity'), el('th', undefined, 'Rule'), el('th', undefined, 'Where'), el('th', undefined, 'What'));
    add(t, add(el('thead'), head));
    const body = el('tbody');
    for (const f of items) {
      const where = el('td');
      const link = el('a', 'file-link', f.line ? `${f.path}:${f.line}` : f.path);
      link.setAttribute('href', '#');
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        vscode.postMessage({ type: 'openFile', path: f.path, line: f.line || 1 });
      });
      add(where, link);
      if (f.lines) add(where, el('div', 'ranges', f.lines));
      add(body, add(el('tr', `row-${f.severity}`), el('td', `sev sev-${f.severity}`, f.severity), el('td', 'rule', f.rule), where, el('td', undefined, f.message)));
    }
    return add(t, body);
  }

  function traceTable(rows) {
    const t = el('table', 'trace');
    add(t, add(el('thead'), add(el('tr'), el('th', undefined, 'Requirement'), el('th', undefined, 'Tasks'), el('th', undefined, 'Changed files'))));
    const body = el('tbody');
    for (const r of rows) {
      const req = el('td');
      add(req, el('strong', undefined, r.requirement));
      if (r.title) add(req, el('span', 'muted', ` ${r.title}`));
      if (r.gap) add(req, el('span', 'gap', r.gap === 'no-task' ? 'gap: no task' : 'gap: no changed file'));
      const tasks = el('td', undefined, r.tasks.map((x) => (x.state ? `${x.id} (${x.state})` : x.id)).join(', ') || '—');
      const paths = el('td', 'paths', r.paths.join('\n') || '—');
      add(body, add(el('tr', r.gap ? 'has-gap' : undefined), req, tasks, paths));
    }
    return add(t, body);
  }

  const CLASS_TEXT = { 'in-scope': 'in scope', 'out-of-scope': 'OUT OF SCOPE', excluded: 'EXCLUDED (non-goal)', spec: 'spec' };

  function fileDiff(f) {
    const d = el('details', `file cls-${f.classification}`);
    d.open = f.classification === 'out-of-scope' || f.classification === 'excluded' || f.hunks.some((h) => h.outside);
    const sum = el('summary');
    add(sum, el('span', 'path', f.path), el('span', `badge cls-${f.classification}`, CLASS_TEXT[f.classification] || f.classification));
    add(sum, el('span', 'muted', ` ${f.status} · +${f.added} −${f.removed}${f.mode ? ` · ${f.mode}` : ''}${f.tasks.length ? ` · tasks ${f.tasks.join(', ')}` : ''}`));
    add(d, sum);
    if (f.binary) add(d, el('p', 'muted', 'Binary file: not shown.'));
    else if (f.hunks.length === 0 && f.mode) add(d, el('p', 'muted', `No line changes; ${f.mode}.`));
    for (const h of f.hunks) {
      const box = el('div', `hunk${h.outside ? ' outside' : ''}`);
      const bar = el('div', 'hunk-header');
      add(bar, el('code', undefined, h.header));
      if (h.outside) add(bar, el('span', 'badge cls-out-of-scope', CLASS_TEXT[h.classification] || 'outside'));
      const open = el('button', 'link', 'Open file at hunk');
      open.addEventListener('click', () => vscode.postMessage({ type: 'openFile', path: f.path, line: h.line }));
      add(bar, open);
      const pre = el('pre', 'diff');
      for (const line of h.lines) {
        const c = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('\\') ? 'meta' : 'ctx';
        add(pre, el('span', `line ${c}`, `${line}\n`));
      }
      add(box, bar, pre);
      add(d, box);
    }
    if (f.truncated) add(d, el('p', 'muted', 'Diff truncated: changes.patch in the bundle has all of it.'));
    return d;
  }

  function render(data) {
    app.replaceChildren();
    const header = el('header');
    add(header, el('h1', undefined, `Review: ${data.spec.name}`));
    add(header, el('p', 'muted', `${data.spec.id} (${data.spec.format}) · base ${data.base}`));
    add(header, el('p', 'digest', data.digest));
    const stats = el('div', 'stats');
    add(
      stats,
      el('span', `risk risk-${data.risk}`, `Risk: ${data.risk}`),
      el('span', undefined, `${data.summary.files} files`),
      el('span', undefined, `+${data.summary.added} −${data.summary.removed}`),
      el('span', data.summary.outOfScope > 0 ? 'bad' : undefined, `${data.summary.outOfScope} out of scope`),
    );
    add(header, stats);
    if (data.state) add(header, el('p', 'state', data.state));
    const actions = el('div', 'actions');
    const approve = el('button', 'primary', 'Approve…');
    approve.addEventListener('click', () => vscode.postMessage({ type: 'approve' }));
    const reject = el('button', 'secondary', 'Reject…');
    reject.addEventListener('click', () => vscode.postMessage({ type: 'reject' }));
    add(header, add(actions, approve, reject));
    add(app, header);

    const decisions = section('Findings that need a decision', data.decisions.length);
    add(decisions, data.decisions.length ? findingsTable(data.decisions) : el('p', 'muted', 'None.'));
    add(app, decisions);
    if (data.others.length) add(app, add(section('Other findings', data.others.length), findingsTable(data.others)));
    add(app, add(section('Traceability', data.trace.length), data.trace.length ? traceTable(data.trace) : el('p', 'muted', 'The spec has no requirements.')));
    const diffs = section('Changes', data.files.length);
    for (const f of data.files) add(diffs, fileDiff(f));
    add(app, diffs);
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'packet' && msg.data && typeof msg.data === 'object') {
      try {
        render(msg.data);
        vscode.setState({ data: msg.data });
      } catch (err) {
        app.replaceChildren(el('p', 'bad', `Cannot show this packet: ${err && err.message ? err.message : String(err)}`));
      }
    }
  });

  const saved = vscode.getState();
  if (saved && saved.data) render(saved.data);
  vscode.postMessage({ type: 'ready' });
})();
