// traceunit report. Every text from a trace goes into the page through textContent or text nodes,
// never as markup. Traces are parsed when opened; the timeline draws only the rows in view.
(function () {
  'use strict';
  const ROW = 22;
  const OVERSCAN = 15;
  const STANDARD_KINDS = { internal: '#8a94a8', server: '#3f6fb5', client: '#3d9a5b', producer: '#d39b1f', consumer: '#9a5fb0' };
  const STATUS_LABEL = { FAILED: 'FAILED', SUCCESSFUL: 'PASSED', ABORTED: 'ABORTED' };
  const $ = (id) => document.getElementById(id);
  const report = JSON.parse($('traceunit-tests').textContent);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  function duration(nanos) {
    const abs = Math.abs(nanos);
    if (abs < 1e3) return nanos + 'ns';
    if (abs < 1e6) return trim(nanos / 1e3) + 'µs';
    if (abs < 1e9) return trim(nanos / 1e6) + 'ms';
    return trim(nanos / 1e9) + 's';
  }

  function trim(x) {
    return String(Math.round(x * 1000) / 1000);
  }

  function kindColor(kind) {
    if (STANDARD_KINDS[kind]) return STANDARD_KINDS[kind];
    let hash = 0;
    for (let i = 0; i < kind.length; i++) hash = (hash * 31 + kind.charCodeAt(i)) | 0;
    return 'hsl(' + (Math.abs(hash) % 360) + ', 55%, 52%)';
  }

  /** An attribute value as text: strings as written, everything else as JSON. */
  function valueText(value) {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$string') return value.$string;
      if (keys.length === 1 && keys[0] === '$map') return JSON.stringify(value.$map);
      if (keys.length === 1 && keys[0] === '$entries') return JSON.stringify(Object.fromEntries(value.$entries));
    }
    return JSON.stringify(value);
  }

  /** The [key, value] pairs of an attribute map, undoing the $map and $entries escapes of trace.json. */
  function entries(map) {
    const keys = Object.keys(map || {});
    if (keys.length === 1 && keys[0] === '$entries') return map.$entries;
    if (keys.length === 1 && keys[0] === '$map') return Object.entries(map.$map);
    return Object.entries(map || {});
  }

  // ---- the test list ----------------------------------------------------------------------------

  const failed = report.tests.filter((t) => t.status === 'FAILED').length;
  $('summary').textContent = plural(report.tests.length, 'traced test') + ' · ' + failed + ' failed'
      + (report.untraced ? ' · ' + report.untraced + ' more without a trace' : '');

  const buttons = report.tests.map((test) => {
    const button = el('button', 'test status-' + test.status);
    button.type = 'button';
    button.dataset.status = test.status;
    button.title = test.id;
    button.append(el('span', 'status', STATUS_LABEL[test.status] || test.status), el('span', 'name', test.name));
    const counts = el('span', 'counts', plural(test.spans, 'span'));
    if (test.errors) counts.append(' · ' + plural(test.errors, 'error'));
    if (test.open) counts.append(' · ' + test.open + ' open');
    if (test.problems.length) counts.append(' · ', el('span', 'problems', plural(test.problems.length, 'problem')));
    button.append(counts);
    button.addEventListener('click', () => open(test, button));
    $('tests').append(button);
    return button;
  });
  if (!report.tests.length) $('tests').append(el('p', 'empty', 'No traced tests ran.'));

  $('filter').addEventListener('input', (event) => {
    const text = event.target.value.toLowerCase();
    report.tests.forEach((test, i) => {
      buttons[i].hidden = text !== '' && test.name.toLowerCase().indexOf(text) < 0;
    });
  });

  // ---- one trace --------------------------------------------------------------------------------

  let view = null;

  function open(test, button) {
    buttons.forEach((b) => b.classList.toggle('selected', b === button));
    const doc = JSON.parse($('trace-' + test.trace).textContent);
    const spans = doc.trace.spans;
    const byId = new Map();
    const children = new Map();
    let start = Infinity;
    let end = -Infinity;
    for (const span of spans) {
      byId.set(span.spanId, span);
      start = Math.min(start, span.startOffsetNanos);
      end = Math.max(end, span.startOffsetNanos + span.durationNanos);
    }
    const roots = [];
    for (const span of spans) {
      if (span.parentId !== 0 && byId.has(span.parentId)) {
        let list = children.get(span.parentId);
        if (!list) children.set(span.parentId, list = []);
        list.push(span);
      } else {
        roots.push(span);
      }
    }
    const order = (a, b) => (a.startOffsetNanos - b.startOffsetNanos) || (a.spanId - b.spanId);
    roots.sort(order);
    children.forEach((list) => list.sort(order));
    view = { test, doc, byId, children, roots, collapsed: new Set(), rows: [], selected: null,
      start: spans.length ? start : 0, total: spans.length ? Math.max(end - start, 1) : 1 };

    $('trace-title').textContent = test.name;
    $('trace-meta').textContent = (STATUS_LABEL[test.status] || test.status) + ' · trace ' + doc.trace.traceId + ' · '
        + plural(spans.length, 'span') + ' · ' + duration(view.total) + ' on the mock clock'
        + (test.problems.length ? ' · ' + plural(test.problems.length, 'problem') : '')
        + (doc.trace.droppedSpans ? ' · ' + doc.trace.droppedSpans + ' spans dropped' : '');
    $('trace-message').hidden = !test.message;
    $('trace-message').textContent = test.message;
    $('tree').textContent = doc.tree;
    legend(spans);
    axis();
    $('details').hidden = true;
    layout();
    $('rows').scrollTop = 0;
    draw();
  }

  function legend(spans) {
    const kinds = new Set(spans.map((s) => s.kind));
    const legendEl = $('legend');
    legendEl.replaceChildren();
    kinds.forEach((kind) => {
      const swatch = el('i');
      swatch.style.background = kindColor(kind);
      const item = el('span');
      item.append(swatch, kind);
      legendEl.append(item);
    });
  }

  function axis() {
    const axisEl = $('axis');
    axisEl.replaceChildren();
    for (let i = 0; i <= 4; i++) {
      const tick = el('span', null, '+' + duration(Math.round(view.total * i / 4)));
      tick.style.left = (i * 25) + '%';
      axisEl.append(tick);
    }
  }

  /** The rows in tree order, skipping collapsed subtrees; iterative, so deep traces are fine. */
  function layout() {
    const rows = [];
    const stack = [];
    for (let i = view.roots.length - 1; i >= 0; i--) stack.push([view.roots[i], 0]);
    while (stack.length) {
      const [span, depth] = stack.pop();
      rows.push([span, depth]);
      const kids = view.children.get(span.spanId);
      if (kids && !view.collapsed.has(span.spanId)) {
        for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
      }
    }
    view.rows = rows;
    $('rows-spacer').style.height = (rows.length * ROW) + 'px';
  }

  function draw() {
    if (!view) return;
    const container = $('rows');
    const spacer = $('rows-spacer');
    const first = Math.max(0, Math.floor(container.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(view.rows.length, Math.ceil((container.scrollTop + container.clientHeight) / ROW) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) fragment.append(row(view.rows[i][0], view.rows[i][1], i));
    spacer.replaceChildren(fragment);
  }

  function row(span, depth, index) {
    const line = el('div', 'row');
    line.style.top = (index * ROW) + 'px';
    line.dataset.spanId = span.spanId;
    if (view.selected === span.spanId) line.classList.add('selected');
    const label = el('div', 'label');
    label.style.paddingLeft = (4 + Math.min(depth, 40) * 14) + 'px';
    const hasChildren = view.children.has(span.spanId);
    const toggle = el('span', 'toggle', hasChildren ? (view.collapsed.has(span.spanId) ? '▸' : '▾') : '');
    if (hasChildren) {
      toggle.addEventListener('click', (event) => {
        event.stopPropagation();
        if (!view.collapsed.delete(span.spanId)) view.collapsed.add(span.spanId);
        layout();
        draw();
      });
    }
    const dot = el('span', 'dot');
    dot.style.background = kindColor(span.kind);
    label.append(toggle, dot, el('span', 'name', span.name));
    if (span.status === 'ERROR') label.append(el('span', 'err-mark', '!'));
    if (!span.ended) label.append(el('span', 'open-mark', 'OPEN'));
    label.title = span.kind + ' ' + span.name;

    const lane = el('div', 'lane');
    const bar = el('div', 'bar');
    const left = (span.startOffsetNanos - view.start) / view.total * 100;
    const width = span.durationNanos / view.total * 100;
    bar.style.left = left + '%';
    bar.style.width = span.marker ? '' : width + '%';
    bar.style.background = kindColor(span.kind);
    if (span.status === 'ERROR') bar.classList.add('error');
    if (!span.ended) bar.classList.add('open');
    if (span.marker) bar.classList.add('marker');
    const label2 = el('span', 'dur', span.marker ? 'marker' : duration(span.durationNanos) + (span.ended ? '' : ' OPEN'));
    if (left + width > 80 && left < 15) {
      label2.classList.add('inside');
      label2.style.right = 'calc(' + (100 - left - width) + '% + 4px)';
    } else if (left + width > 80) {
      label2.style.right = (100 - left) + '%';
      label2.style.marginRight = '4px';
    } else {
      label2.style.left = 'calc(' + (left + width) + '% + 4px)';
    }
    lane.append(bar, label2);
    line.append(label, lane);
    line.addEventListener('click', () => select(span));
    return line;
  }

  // ---- details of one span ----------------------------------------------------------------------

  function select(span) {
    view.selected = span.spanId;
    draw();
    const panel = $('details');
    panel.replaceChildren();
    const close = el('button', 'close', '×');
    close.type = 'button';
    close.title = 'Close';
    close.addEventListener('click', () => { panel.hidden = true; view.selected = null; draw(); });
    panel.append(close, el('h3', null, span.name));
    const facts = [
      ['kind', span.kind], ['span id', span.spanId], ['parent', span.parentId || '(root)'],
      ['start', '+' + duration(span.startOffsetNanos - view.start)], ['start time', span.startTime],
      ['duration', duration(span.durationNanos) + (span.ended ? '' : ' (OPEN: still running when the test ended)')],
      ['status', span.status], ['thread', span.threadName]];
    if (span.droppedAttributes) facts.push(['dropped attributes', span.droppedAttributes]);
    if (span.droppedEvents) facts.push(['dropped events', span.droppedEvents]);
    if (span.droppedLinks) facts.push(['dropped links', span.droppedLinks]);
    panel.append(table(facts));

    const attributes = entries(span.attributes).map(([k, v]) => [k, valueText(v)]);
    panel.append(el('h4', null, 'Attributes'));
    panel.append(attributes.length ? table(attributes, 'attributes') : el('p', 'empty', 'none'));

    if (span.error) {
      panel.append(el('h4', null, 'Error'));
      panel.append(el('p', 'error', span.error.type + (span.error.message != null ? ': ' + span.error.message : '')));
      panel.append(el('pre', null, span.error.stackTrace));
    }
    if (span.events.length) {
      panel.append(el('h4', null, plural(span.events.length, 'event')));
      for (const event of span.events) {
        panel.append(el('p', null, '+' + duration(event.offsetNanos) + '  ' + event.name));
        const rows = entries(event.attributes).map(([k, v]) => [k, valueText(v)]);
        if (rows.length) panel.append(table(rows));
      }
    }
    if (span.links.length) {
      panel.append(el('h4', null, plural(span.links.length, 'link')));
      for (const link of span.links) {
        const here = link.traceId === view.doc.trace.traceId && view.byId.has(link.spanId);
        const target = here ? view.byId.get(link.spanId) : null;
        const line = el('p');
        if (target) {
          const a = el('a', null, '→ span ' + link.spanId + ' ' + target.name);
          a.addEventListener('click', () => reveal(target));
          line.append(a);
        } else {
          line.textContent = '→ trace ' + link.traceId + ' span ' + link.spanId;
        }
        panel.append(line);
        const rows = entries(link.attributes).map(([k, v]) => [k, valueText(v)]);
        if (rows.length) panel.append(table(rows));
      }
    }
    const problems = view.doc.trace.problems.filter((p) => p.spanId === span.spanId);
    if (problems.length) {
      panel.append(el('h4', null, plural(problems.length, 'problem')));
      for (const p of problems) panel.append(el('p', 'error', p.code + '  ' + p.message));
    }
    panel.hidden = false;
  }

  /** Expands the ancestors of a span, scrolls to it and selects it. */
  function reveal(span) {
    for (let at = view.byId.get(span.parentId); at; at = view.byId.get(at.parentId)) view.collapsed.delete(at.spanId);
    layout();
    const index = view.rows.findIndex((r) => r[0] === span);
    $('rows').scrollTop = Math.max(0, index * ROW - $('rows').clientHeight / 2);
    select(span);
  }

  function table(entries, className) {
    const t = el('table', className);
    for (const [key, value] of entries) {
      const tr = el('tr');
      tr.append(el('td', 'key', key), el('td', 'value', value));
      t.append(tr);
    }
    return t;
  }

  // ---- tabs and scrolling -----------------------------------------------------------------------

  function showTab(tree) {
    $('tab-tree').classList.toggle('active', tree);
    $('tab-timeline').classList.toggle('active', !tree);
    $('tree').hidden = !tree;
    $('timeline').hidden = tree;
    if (!tree) draw();
  }

  $('tab-timeline').addEventListener('click', () => showTab(false));
  $('tab-tree').addEventListener('click', () => showTab(true));
  let pending = false;
  const redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  };
  $('rows').addEventListener('scroll', redraw);
  window.addEventListener('resize', redraw);

  if (report.tests.length) open(report.tests[0], buttons[0]);
})();
