// SpecGate review panel script. Receives the packet data by postMessage and renders it
// with DOM nodes and textContent only: nothing from the packet is ever parsed as HTML.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /**
   * Characters that draw nothing or reorder what follows, shown as `\u{202e}`, `\u{200b}`:
   * bidirectional controls ("Trojan Source"), control characters (a tab, a line end and the
   * CR of a CRLF stay), zero-width spaces and joiners, word joiners, the byte order mark, soft
   * hyphens, variation selectors, Hangul fillers, tag characters. They make a name or a line
   * of code read other than it is. The same set as the bundle's review.html (revealControls).
   */
  const HIDDEN =
    /[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{e0000}-\u{e0fff}]|\r(?!\n|$)/gmu;

  /**
   * @param {unknown} text
   */
  function shown(text) {
    return String(text).replace(HIDDEN, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
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

  /** A section whose heading (with an id) names the table or list under it. */
  /** A findings count, and how many rows show it when rows merge several (each hunk outside the scope is a finding). */
  function countOf(findings, rows) {
    return findings === rows ? findings : `${findings} in ${rows} ${rows === 1 ? 'row' : 'rows'}`;
  }

  function section(id, title, count) {
    const s = el('section');
    const h = el('h2', undefined, title);
    h.id = id;
    // The badge reads "Changes, 3" to a screen reader, not "Changes3".
    if (count !== undefined) add(h, add(el('span', 'count'), el('span', 'sr-only', ', '), document.createTextNode(String(count))));
    s.setAttribute('aria-labelledby', id);
    add(s, h);
    return s;
  }

  /** A table labelled by its section's heading, with column headers screen readers announce. */
  function table(cls, labelledBy, headers) {
    const t = el('table', cls);
    t.setAttribute('aria-labelledby', labelledBy);
    const row = el('tr');
    for (const h of headers) {
      const th = el('th', undefined, h);
      th.setAttribute('scope', 'col');
      add(row, th);
    }
    add(t, add(el('thead'), row));
    return t;
  }

  /**
   * Line counts as shown (`+3 −1`) and as read by a screen reader ("3 lines added, 1 removed"):
   * a bare minus sign is often not read at all.
   */
  function delta(added, removed) {
    const s = el('span', 'delta');
    const seen = el('span', undefined, `+${added} −${removed}`);
    seen.setAttribute('aria-hidden', 'true');
    return add(s, seen, el('span', 'sr-only', `${added} ${added === 1 ? 'line' : 'lines'} added, ${removed} removed`));
  }

  /** Severity, risk and scope as text in the theme's foreground on a validation-coloured pill (readable in every theme). */
  function pill(level, text) {
    return el('span', `pill pill-${level}`, text);
  }

  /** A finding's message: its text as text nodes, the code it quotes (names, globs) in <code> elements. */
  function messageCell(f) {
    const td = el('td', 'message');
    if (!Array.isArray(f.parts)) return add(td, document.createTextNode(shown(f.message)));
    for (const p of f.parts) add(td, p.code ? el('code', undefined, p.text) : document.createTextNode(shown(p.text)));
    return td;
  }

  function findingsTable(items, labelledBy) {
    const t = table('findings', labelledBy, ['Severity', 'Rule', 'Where', 'What']);
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
      const rule = el('td', 'rule');
      add(rule, el('span', 'kind', String(f.kind || f.rule).replace(/-/g, ' ')), el('span', 'rule-id muted', f.rule));
      add(body, add(el('tr', `row-${f.severity}`), add(el('td', 'sev'), pill(f.severity, f.severity)), rule, where, messageCell(f)));
    }
    return add(t, body);
  }

  /** A long list of findings summed up by rule first: how many, on how many files, and where most are. */
  function rollupList(rows, lines) {
    const box = el('div', 'rollup');
    add(box, el('p', undefined, `At a glance, by rule (the ${lines} rows follow):`));
    const list = el('ul');
    for (const r of rows) {
      const item = add(el('li'), pill(r.severity, r.severity), el('span', 'kind', ` ${String(r.kind).replace(/-/g, ' ')} `), el('span', 'rule-id muted', r.rule), document.createTextNode(`: ${r.counts}`));
      if (Array.isArray(r.top) && r.top.length) {
        add(item, document.createTextNode('; most in '));
        r.top.forEach((t, i) => {
          if (i > 0) add(item, document.createTextNode(', '));
          add(item, t.folder ? el('code', undefined, t.folder) : document.createTextNode('the top folder'), document.createTextNode(` ${t.files}`));
        });
      }
      add(list, item);
    }
    return add(box, list);
  }

  function traceTable(rows, labelledBy) {
    const t = table('trace', labelledBy, ['Requirement', 'Tasks', 'Changed files']);
    const body = el('tbody');
    for (const r of rows) {
      // The requirement heads its row: a screen reader names it when reading the other cells.
      const req = el('th');
      req.setAttribute('scope', 'row');
      add(req, el('strong', undefined, r.requirement));
      if (r.title) add(req, el('span', 'muted', ` ${r.title}`));
      if (r.gap) add(req, el('span', 'pill pill-warning gap', r.gap === 'no-task' ? 'gap: no task' : 'gap: no changed file'));
      // A missing link no rule flags (the layout's tasks cite no requirement of this kind): said plainly.
      else if (r.uncited) add(req, el('span', 'muted gap', ' · no task cites it'));
      const tasks = el('td', undefined, r.tasks.map((x) => (x.state ? `${x.id} (${x.state})` : x.id)).join(', ') || '—');
      const paths = el('td', 'paths', r.paths.join('\n') || '—');
      add(body, add(el('tr', r.gap ? 'has-gap' : undefined), req, tasks, paths));
    }
    return add(t, body);
  }

  // The words the sidebar's Changes view uses for the same classifications.
  const CLASS_TEXT = { 'in-scope': 'In scope', 'out-of-scope': 'Out of scope', excluded: 'Excluded (non-goal)', spec: 'Spec file' };
  const CLASS_LEVEL = { 'in-scope': 'ok', 'out-of-scope': 'error', excluded: 'error', spec: 'plain' };

  function classBadge(classification) {
    return pill(CLASS_LEVEL[classification] || 'plain', CLASS_TEXT[classification] || classification);
  }

  /**
   * A changed file: its header is a level-3 heading (under "Changes") holding the button that
   * shows and hides the file's hunks (the WAI-ARIA accordion pattern), so a screen reader's
   * heading navigation goes from file to file. A <summary> cannot be that heading: a heading
   * inside it is flattened into the button it is.
   */
  function fileDiff(f, number, digest, autoOpen) {
    const file = el('div', `file cls-${f.classification}`);
    const d = el('div', 'file-body');
    d.id = `file-${number}`;
    const toggle = el('button', 'file-toggle');
    toggle.type = 'button';
    toggle.setAttribute('aria-controls', d.id);
    /** @param {boolean} open */
    const setOpen = (open) => {
      toggle.setAttribute('aria-expanded', String(open));
      file.classList.toggle('open', open);
      d.hidden = !open;
    };
    const remembered = opened.get(digest)?.get(f.path);
    // The triangle a <summary> shows (the same list marker, see review.css); aria-expanded says it aloud.
    const marker = el('span', 'marker');
    marker.setAttribute('aria-hidden', 'true');
    add(toggle, marker, el('span', 'path', f.path), el('span', 'sr-only', ', '), classBadge(f.classification), el('span', 'sr-only', ','));
    add(
      toggle,
      add(
        el('span', 'muted'),
        document.createTextNode(` ${f.status} · `),
        delta(f.added, f.removed),
        document.createTextNode(`${f.mode ? ` · ${f.mode}` : ''}${f.tasks.length ? ` · ${f.tasks.length === 1 ? 'task' : 'tasks'} ${f.tasks.join(', ')}` : ''}`),
      ),
    );
    add(file, add(el('h3', 'file-header'), toggle), d);
    // The hunks are built when the file is first opened: a closed file costs its header only.
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      fileBody(f, d);
    };
    const show = (open) => {
      if (open) build();
      setOpen(open);
    };
    show(remembered ?? (autoOpen && isFlagged(f)));
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      show(open);
      remember(digest, f.path, open);
    });
    return file;
  }

  /** Whether a file has something outside the scope, which the panel opens by itself (when few do). */
  function isFlagged(f) {
    return f.classification === 'out-of-scope' || f.classification === 'excluded' || f.hunks.some((h) => h.outside);
  }

  /** Findings beside the code they are about: severity, kind, rule id, lines and message. */
  function notesList(notes) {
    const list = el('ul', 'in-diff');
    for (const n of notes) {
      const item = add(el('li', `row-${n.severity}`), pill(n.severity, n.severity), el('span', 'kind', ` ${String(n.kind).replace(/-/g, ' ')} `), el('span', 'rule-id muted', n.rule));
      if (n.lines) add(item, el('span', 'muted', ` ${n.lines}`));
      add(item, document.createTextNode(': '));
      if (Array.isArray(n.parts)) for (const p of n.parts) add(item, p.code ? el('code', undefined, p.text) : document.createTextNode(shown(p.text)));
      else add(item, document.createTextNode(shown(n.message)));
      add(list, item);
    }
    return list;
  }

  /** A file's hunks, into its body. */
  function fileBody(f, d) {
    if (Array.isArray(f.findings) && f.findings.length) add(d, notesList(f.findings));
    if (f.binary) add(d, el('p', 'muted', 'Binary file: not shown.'));
    else if (f.hunks.length === 0 && f.mode) add(d, el('p', 'muted', `No line changes; ${f.mode}.`));
    for (const h of f.hunks) {
      const box = el('div', `hunk${h.outside ? ' outside' : ''}`);
      const bar = el('div', 'hunk-header');
      add(bar, el('code', undefined, h.header));
      if (h.outside) add(bar, classBadge(h.classification || 'out-of-scope'));
      const open = el('button', 'link', 'Open file at hunk');
      // Every hunk has this button: its accessible name starts with the words shown (so voice
      // control finds it by them) and says which file and line it opens.
      open.setAttribute('aria-label', shown(`Open file at hunk: ${f.path}, line ${h.line}`));
      open.addEventListener('click', () => vscode.postMessage({ type: 'openFile', path: f.path, line: h.line }));
      add(bar, open);
      const pre = el('pre', 'diff');
      h.lines.forEach((line, i) => {
        const c = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('\\') ? 'meta' : 'ctx';
        const span = el('span', `line ${c}`, `${line}\n`);
        // The old and new line numbers: drawn from the attribute, so not copied with the code.
        if (Array.isArray(h.gutters) && typeof h.gutters[i] === 'string') span.dataset.ln = h.gutters[i];
        add(pre, span);
      });
      add(box, bar);
      if (Array.isArray(h.findings) && h.findings.length) add(box, notesList(h.findings));
      add(box, pre);
      add(d, box);
    }
    if (f.truncated) add(d, el('p', 'muted', 'Diff truncated: changes.patch in the bundle has all of it.'));
  }

  /** Above this many files outside the scope, none opens by itself. */
  const AUTO_OPEN_MAX = 50;

  const RISK_LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'ok' };

  /**
   * The review state line and the buttons that apply. A warning line: an approval the commit
   * gate will not accept. The line is a live region made once with the header and then only
   * given new text: a screen reader announces a change in a live region already on the page,
   * not one inserted with its text.
   */
  function renderState(box, state, status, warning) {
    let line = box.querySelector('.state');
    if (!line) {
      line = el('p', 'state');
      line.setAttribute('role', 'status');
      add(box, line);
    }
    line.className = warning ? 'state state-warning' : 'state';
    const text = shown(state || '');
    if (line.textContent !== text) line.textContent = text;
    box.querySelector('.actions')?.remove();
    const actions = el('div', 'actions');
    if (status === 'outdated') {
      // A bundle of an earlier state of the change: nothing here can be approved any more.
      const again = el('button', 'primary', 'Export Again');
      again.addEventListener('click', () => vscode.postMessage({ type: 'export' }));
      add(actions, again);
      add(box, actions);
      return;
    }
    // As in the sidebar's Review view: no Approve once approved, no Reject once rejected.
    if (status !== 'approved') {
      const approve = el('button', 'primary', 'Approve…');
      approve.addEventListener('click', () => vscode.postMessage({ type: 'approve' }));
      add(actions, approve);
    }
    if (status !== 'rejected') {
      const reject = el('button', 'secondary', 'Reject…');
      reject.addEventListener('click', () => vscode.postMessage({ type: 'reject' }));
      add(actions, reject);
    }
    add(box, actions);
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
      pill(RISK_LEVEL[data.risk] || 'plain', `Risk: ${data.risk}`),
      el('span', undefined, `${data.summary.files} files`),
      delta(data.summary.added, data.summary.removed),
      data.summary.outOfScope > 0 ? pill('error', `${data.summary.outOfScope} outside the spec`) : el('span', undefined, 'all in scope'),
    );
    add(header, stats);
    const review = el('div', 'review-state');
    renderState(review, data.state, data.status, data.stateWarning === true);
    add(header, review);
    add(app, header);

    // How SpecGate read the change (a file listed as binary, and why): text only, like every string of the packet.
    if (Array.isArray(data.notes) && data.notes.length) {
      const list = el('ul', 'notes');
      for (const note of data.notes) if (typeof note === 'string') add(list, el('li', undefined, note));
      add(app, add(section('notes', 'Notes', data.notes.length), list));
    }

    const decisions = section('decisions', 'Findings that need a decision', countOf(data.counts.decisions, data.decisions.length));
    if (Array.isArray(data.rollup) && data.rollup.length) add(decisions, rollupList(data.rollup, data.decisions.length));
    add(decisions, data.decisions.length ? findingsTable(data.decisions, 'decisions') : el('p', 'muted', 'None.'));
    add(app, decisions);
    if (data.others.length) add(app, add(section('others', 'Other findings', countOf(data.counts.others, data.others.length)), findingsTable(data.others, 'others')));
    add(app, add(section('trace', 'Traceability', data.trace.length), data.trace.length ? traceTable(data.trace, 'trace') : el('p', 'muted', 'The spec has no requirements.')));
    const diffs = section('changes', 'Changes', data.files.length);
    // Files outside the scope open by themselves, unless there are so many that the page
    // would take seconds to draw: then each opens when asked.
    const flagged = data.files.filter(isFlagged).length;
    const autoOpen = flagged <= AUTO_OPEN_MAX;
    if (!autoOpen) add(diffs, el('p', 'muted', `${flagged} files have changes outside the scope: open each one to read its diff.`));
    data.files.forEach((f, i) => add(diffs, fileDiff(f, i + 1, data.digest, autoOpen)));
    add(app, diffs);
    app.removeAttribute('aria-busy');
  }

  let current;
  /** The bundle folder the packet comes from: saved with it, so the panel can be restored after a window reload. */
  let bundle;

  /**
   * Which changed files the reviewer opened or closed, per bundle digest and path, newest
   * bundle last: kept in the webview state with the packet, so a panel hidden and shown again
   * (its page is reloaded), re-rendered, showing the same bundle again, or restored after the
   * window reloaded opens the same files.
   * @type {Map<string, Map<string, boolean>>}
   */
  let opened = new Map();
  const MAX_REMEMBERED = 20;

  /** @param {unknown} value the `open` list of a saved state: [[digest, [[path, open], …]], …] */
  function openedFrom(value) {
    const out = new Map();
    if (!Array.isArray(value)) return out;
    for (const entry of value.slice(-MAX_REMEMBERED)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) continue;
      const files = new Map();
      for (const pair of entry[1]) if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'boolean') files.set(pair[0], pair[1]);
      out.set(entry[0], files);
    }
    return out;
  }

  function saveState() {
    vscode.setState({ bundle, data: current, open: [...opened].map(([digest, files]) => [digest, [...files]]) });
  }

  /** @param {string} digest @param {string} path @param {boolean} open */
  function remember(digest, path, open) {
    const files = opened.get(digest) ?? new Map();
    opened.delete(digest);
    opened.set(digest, files.set(path, open));
    while (opened.size > MAX_REMEMBERED) opened.delete(opened.keys().next().value);
    saveState();
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'packet' && msg.data && typeof msg.data === 'object') {
      // The packet already drawn, again: the extension posts it with the page and once more
      // when the page says `ready`, and a panel shown again first draws its saved one. Drawing
      // it twice would throw away what the reviewer scrolled to or focused meanwhile.
      if (current && app.querySelector('header') && JSON.stringify(msg.data) === JSON.stringify(current)) {
        if (typeof msg.bundle === 'string' && msg.bundle !== bundle) {
          bundle = msg.bundle;
          saveState();
        }
        return;
      }
      try {
        render(msg.data);
        current = msg.data;
        if (typeof msg.bundle === 'string') bundle = msg.bundle;
        saveState();
      } catch (err) {
        app.replaceChildren(el('p', 'error-text', `Cannot show this packet: ${err && err.message ? err.message : String(err)}`));
      }
    } else if (msg && msg.type === 'state' && typeof msg.state === 'string' && current) {
      // Only the header changes: open files, scroll position and focus elsewhere stay.
      const box = app.querySelector('.review-state');
      if (!box) return;
      const hadFocus = box.contains(document.activeElement);
      current = { ...current, state: msg.state, status: msg.status, stateWarning: msg.warning === true };
      renderState(box, current.state, current.status, current.stateWarning);
      saveState();
      if (hadFocus) /** @type {HTMLElement | null} */ (box.querySelector('button'))?.focus();
    }
  });

  const saved = vscode.getState();
  if (saved) opened = openedFrom(saved.open);
  if (saved && typeof saved.bundle === 'string') bundle = saved.bundle;
  if (saved && saved.data) {
    current = saved.data;
    render(saved.data);
  }
  vscode.postMessage({ type: 'ready' });
})();
