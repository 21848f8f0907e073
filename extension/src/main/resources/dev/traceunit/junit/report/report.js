// traceunit report. Every text from a trace goes into the page through textContent or text nodes,
// never as markup. Each run's test list is a script beside the page (runs/<run>/tests.js); traces
// are in scripts of a few megabytes (traces-N.js), loaded when one of their tests is opened. The
// test list and the timeline draw only the rows in view.
(function () {
  'use strict';
  const ROW = 22;
  const TEST_ROW = 40;
  const OVERSCAN = 15;
  const KEPT_FILES = 4;
  const STANDARD_KINDS = { internal: '#8a94a8', server: '#3f6fb5', client: '#3d9a5b', producer: '#d39b1f', consumer: '#9a5fb0' };
  const STATUSES = [
    ['failed', 'failed', (t) => t.status === 'FAILED' && t.failure !== 'error'],
    ['error', 'error', (t) => t.status === 'FAILED' && t.failure === 'error'],
    ['problems', 'with problems', (t) => t.problemCount > 0],
    ['passed', 'passed', (t) => t.status === 'SUCCESSFUL'],
    ['aborted', 'aborted', (t) => t.status === 'ABORTED']];
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : /s$/.test(word) ? 'es' : 's');
  }

  function duration(nanos) {
    const abs = Math.abs(nanos);
    if (abs === 0) return '0';
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

  const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

  /**
   * A value of trace.json as the trace holds it: the page's one reader of the escapes Java's
   * JsonValues writes. A map becomes a Map (its order and any key kept, $map and $entries undone),
   * NaN and the infinities numbers, {"$string": "NaN"} its string; lists are decoded item by item.
   */
  function decoded(value) {
    if (typeof value === 'string') return NON_FINITE.has(value) ? Number(value) : value;
    if (Array.isArray(value)) return value.map(decoded);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$string') return value.$string;
    if (keys.length === 1 && keys[0] === '$entries') return new Map(value.$entries.map(([k, v]) => [k, decoded(v)]));
    const map = keys.length === 1 && keys[0] === '$map' ? value.$map : value;
    return new Map(Object.keys(map).map((k) => [k, decoded(map[k])]));
  }

  /** The [key, value] pairs of an attribute map of trace.json, decoded. */
  function entries(map) {
    return map ? [...decoded(map)] : [];
  }

  /** A decoded value as text: a string as it is, anything else as JSON, NaN and the infinities by name. */
  function valueText(value) {
    return typeof value === 'string' ? value : jsonText(value);
  }

  function jsonText(value) {
    if (value instanceof Map) return '{' + [...value].map(([k, v]) => JSON.stringify(k) + ':' + jsonText(v)).join(',') + '}';
    if (Array.isArray(value)) return '[' + value.map(jsonText).join(',') + ']';
    return typeof value === 'number' ? String(value) : JSON.stringify(value);
  }

  // ---- loading: the data scripts call these two ------------------------------------------------

  const loaded = new Map();
  window.traceunit = Object.freeze({
    run(script, data) { loaded.set(script.getAttribute('src'), data); },
    traces(script, data) { loaded.set(script.getAttribute('src'), data); }
  });

  function load(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => {
        const data = loaded.get(src);
        loaded.delete(src);
        script.remove();
        if (data === undefined) reject(new Error(src + ' holds no report data'));
        else resolve(data);
      };
      script.onerror = () => { script.remove(); reject(new Error('could not load ' + src)); };
      document.body.append(script);
    });
  }

  const files = new Map();
  function traceFile(run, n) {
    const src = run.dir + 'traces-' + n + '.js';
    let file = files.get(src);
    if (!file) {
      file = load(src);
      files.set(src, file);
      while (files.size > KEPT_FILES) files.delete(files.keys().next().value);
    }
    return file;
  }

  // ---- the test list ----------------------------------------------------------------------------

  const state = { runs: [], tests: [], groups: [], rows: [], visible: [], byId: new Map(), byTrace: new Map(),
    statuses: new Set(), text: '', current: null };

  function naturalCompare(a, b) {
    return a.localeCompare(b, 'en', { numeric: true });
  }

  function build(runs) {
    const groups = new Map();
    runs.forEach((run) => {
      run.tests.forEach((test) => {
        test.run = run;
        const key = test.classId || test.className || '(no class)';
        let group = groups.get(key);
        if (!group) groups.set(key, group = { key, name: test.class || test.className || '(no class)',
          className: test.className, tests: [], classTrace: null });
        if (test.kind === 'class') group.classTrace = test;
        else group.tests.push(test);
        test.group = group;
        test.haystack = (test.name + '\n' + test.class + '\n' + test.className + '\n' + test.names.join('\n')).toLowerCase();
        state.tests.push(test);
        if (!state.byId.has(test.id)) state.byId.set(test.id, test);
        if (!state.byTrace.has(test.traceId)) state.byTrace.set(test.traceId, test);
      });
    });
    state.groups = [...groups.values()].sort((a, b) => naturalCompare(a.name, b.name) || naturalCompare(a.key, b.key));
    state.groups.forEach((g) => g.tests.sort((a, b) => (a.order - b.order) || naturalCompare(a.id, b.id)
        || naturalCompare(a.run.dir, b.run.dir)));
  }

  function matches(test) {
    if (state.text && test.haystack.indexOf(state.text) < 0) return false;
    if (!state.statuses.size) return true;
    return STATUSES.some(([key, , test1]) => state.statuses.has(key) && test1(test));
  }

  function filter() {
    const rows = [];
    const visible = [];
    for (const group of state.groups) {
      const tests = group.tests.filter(matches);
      const classShown = group.classTrace && matches(group.classTrace);
      if (!tests.length && !classShown) continue;
      rows.push({ group, test: group.classTrace && classShown ? group.classTrace : null });
      if (group.classTrace && classShown) visible.push(group.classTrace);
      for (const test of tests) {
        rows.push({ test });
        visible.push(test);
      }
    }
    state.rows = rows;
    state.visible = visible;
    $('tests-spacer').style.height = (rows.length * TEST_ROW) + 'px';
    drawTests();
  }

  function drawTests() {
    const nav = $('tests');
    const first = Math.max(0, Math.floor(nav.scrollTop / TEST_ROW) - OVERSCAN);
    const last = Math.min(state.rows.length, Math.ceil((nav.scrollTop + nav.clientHeight) / TEST_ROW) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) fragment.append(testRow(state.rows[i], i));
    if (!state.rows.length) {
      fragment.append(el('p', 'empty', state.tests.length ? 'No test matches the filter.' : 'No traced tests ran.'));
    }
    $('tests-spacer').replaceChildren(fragment);
  }

  function testRow(row, index) {
    const line = el('div', row.group ? 'group' : 'test status-' + row.test.status + (row.test.failure ? ' ' + row.test.failure : ''));
    line.style.top = (index * TEST_ROW) + 'px';
    if (row.group) {
      line.append(el('span', 'class-name', row.group.name));
      line.title = row.group.className;
      if (row.test) {
        const link = el('span', 'class-trace', 'class trace');
        link.title = 'The trace of the class: its constructor, @BeforeAll and @AfterAll methods';
        line.append(link);
      }
    } else {
      line.append(el('span', 'status', label(row.test)), el('span', 'name', row.test.name));
      line.title = row.test.id;
    }
    const test = row.test;
    if (test) {
      line.dataset.id = test.id;
      const counts = el('span', 'counts', plural(test.spans, 'span'));
      if (test.errors) counts.append(' · ' + plural(test.errors, 'error'));
      if (test.open) counts.append(' · ' + test.open + ' open');
      if (test.problemCount) counts.append(' · ', el('span', 'problems', plural(test.problemCount, 'problem')));
      line.append(counts);
      if (state.current === test) line.classList.add('selected');
      line.addEventListener('click', () => open(test));
    }
    return line;
  }

  function label(test) {
    if (test.status === 'FAILED') return test.failure === 'error' ? 'ERROR' : 'FAILED';
    if (test.status === 'SUCCESSFUL') return 'PASSED';
    return test.status;
  }

  function summary() {
    const tests = state.tests.filter((t) => t.kind === 'test');
    const untraced = state.runs.reduce((n, r) => n + r.untraced, 0);
    $('summary').textContent = plural(tests.length, 'traced test') + ' in ' + plural(state.groups.length, 'class')
        + (untraced ? ' · ' + untraced + ' more without a trace' : '');
    const starts = state.runs.map((r) => r.started).sort();
    const ends = state.runs.map((r) => r.finished).sort();
    $('runs-summary').textContent = plural(state.runs.length, 'run') + (starts.length
        ? ', ' + starts[0].replace('T', ' ').replace(/\.\d+Z$/, 'Z') + ' – ' + ends[ends.length - 1].replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
    const table = $('runs-table');
    const head = el('tr');
    ['run', 'tests', 'started', 'finished', 'JVM', 'build'].forEach((h) => head.append(el('th', null, h)));
    table.replaceChildren(head);
    state.runs.forEach((run) => {
      const tr = el('tr');
      [run.dir, run.tests.length, run.started, run.finished, 'pid ' + run.pid + ', ' + run.java, run.build]
          .forEach((v) => tr.append(el('td', null, v)));
      table.append(tr);
    });
    const lines = state.runs.flatMap((run) => (run.summary || []).map((line) => run.dir + ': ' + line));
    $('run-summary').replaceChildren(...lines.map((line) => el('li', null, line)));
    $('run-summary').hidden = !lines.length;
    const statuses = $('statuses');
    statuses.replaceChildren();
    STATUSES.forEach(([key, text, test]) => {
      const count = state.tests.filter(test).length;
      const button = el('button', 'chip chip-' + key, text + ' ' + count);
      button.type = 'button';
      button.dataset.status = key;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => {
        if (!state.statuses.delete(key)) state.statuses.add(key);
        button.setAttribute('aria-pressed', String(state.statuses.has(key)));
        filter();
      });
      statuses.append(button);
    });
  }

  $('filter').addEventListener('input', (event) => {
    state.text = event.target.value.trim().toLowerCase();
    filter();
  });

  // ---- one trace --------------------------------------------------------------------------------

  let view = null;
  let opening = 0;

  /** Opens a test: its trace file is loaded first, if it is not yet. Returns when it is shown. */
  function open(test, spanId) {
    const ticket = ++opening;
    state.current = test;
    drawTests();
    $('trace-title').textContent = (test.class ? test.class + ' › ' : '') + test.name;
    $('trace-meta').textContent = 'Loading the trace…';
    return traceFile(test.run, test.file).then((traces) => {
      if (ticket !== opening) return;
      show(test, traces[test.at]);
      if (spanId !== undefined && view.byId.has(spanId)) reveal(view.byId.get(spanId));
      else permalink();
    }, (error) => {
      if (ticket === opening) $('trace-meta').textContent = String(error.message);
    });
  }

  function show(test, data) {
    const doc = JSON.parse(data.json);
    const spans = doc.spans;
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
    view = { test, data, doc, byId, children, roots, collapsed: new Set(), rows: [], selected: null,
      start: spans.length ? start : 0, total: spans.length ? Math.max(end - start, 1) : 1 };

    $('trace-meta').textContent = label(test) + ' · trace ' + doc.traceId + ' · '
        + plural(spans.length, 'span') + ' · ' + duration(spans.length ? end - start : 0) + ' on the mock clock'
        + (test.problemCount ? ' · ' + plural(test.problemCount, 'problem') : '')
        + (doc.droppedSpans ? ' · ' + doc.droppedSpans + ' spans dropped' : '');
    downloads(data);
    $('failure').hidden = !data.stack;
    $('failure-source').textContent = test.source ? 'at ' + test.source : '';
    $('failure-stack').textContent = data.stack;
    $('tree').textContent = data.tree;
    legend(spans);
    const rows = $('rows');
    $('timeline').style.setProperty('--scrollbar', (rows.offsetWidth - rows.clientWidth) + 'px');
    axis();
    $('details').hidden = true;
    layout();
    $('rows').scrollTop = 0;
    draw();
  }

  let blobs = [];
  function downloads(data) {
    blobs.forEach((url) => URL.revokeObjectURL(url));
    blobs = [];
    const box = $('downloads');
    box.replaceChildren('Download: ');
    [['trace.json', data.json, 'application/json'], ['trace.otlp.json', data.otlp, 'application/json'],
      ['trace.txt', data.tree, 'text/plain']].forEach(([name, text, type], i) => {
      const url = URL.createObjectURL(new Blob([text], { type }));
      blobs.push(url);
      const a = el('a', 'download', name);
      a.href = url;
      a.download = name;
      if (i) box.append(' · ');
      box.append(a);
    });
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
    const ev = el('span');
    ev.append(el('i', 'legend-event'), 'event');
    const ln = el('span');
    ln.append(el('i', 'legend-link'), 'link');
    legendEl.append(ev, ln);
  }

  /** Ticks at round values (1, 2 or 5 times a power of ten), as many as fit the width. */
  function axis() {
    const axisEl = $('axis');
    axisEl.replaceChildren();
    const width = axisEl.clientWidth || 600;
    const wanted = Math.max(3, Math.min(8, Math.floor(width / 80)));
    const raw = view.total / wanted;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
    while (view.total / step < 2) step /= 2;
    for (let t = 0; t <= view.total + 1e-9; t += step) {
      const tick = el('span', null, duration(Math.round(t)));
      tick.style.left = (t / view.total * 100) + '%';
      if (t === 0) tick.className = 'start';
      else if (t / view.total > 0.9) tick.className = 'end';
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
    const first = Math.max(0, Math.floor(container.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(view.rows.length, Math.ceil((container.scrollTop + container.clientHeight) / ROW) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) fragment.append(row(view.rows[i][0], view.rows[i][1], i));
    $('rows-spacer').replaceChildren(fragment);
  }

  function toggle(span) {
    if (!view.collapsed.delete(span.spanId)) view.collapsed.add(span.spanId);
    layout();
    draw();
  }

  function row(span, depth, index) {
    const line = el('div', 'row');
    line.style.top = (index * ROW) + 'px';
    line.dataset.spanId = span.spanId;
    if (view.selected === span.spanId) line.classList.add('selected');
    const label = el('div', 'label');
    label.style.paddingLeft = (4 + Math.min(depth, 20) * 12) + 'px';
    const hasChildren = view.children.has(span.spanId);
    const fold = el('span', 'toggle', hasChildren ? (view.collapsed.has(span.spanId) ? '▸' : '▾') : '');
    if (hasChildren) {
      fold.addEventListener('click', (event) => { event.stopPropagation(); toggle(span); });
    }
    const dot = el('span', 'dot');
    dot.style.background = kindColor(span.kind);
    label.append(fold, dot, el('span', 'name', span.name));
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
    lane.append(bar);
    for (const event of span.events.slice(0, 200)) {
      const tick = el('span', 'event' + (event.name === 'exception' ? ' exception' : ''));
      tick.style.left = ((span.startOffsetNanos + event.offsetNanos - view.start) / view.total * 100) + '%';
      tick.title = 'event ' + event.name + ' at +' + duration(span.startOffsetNanos + event.offsetNanos - view.start);
      lane.append(tick);
    }
    span.links.slice(0, 20).forEach((link, i) => {
      const target = linkTarget(link);
      const mark = el('span', 'link' + (target ? '' : ' foreign'), '↪');
      mark.style.left = 'calc(' + left + '% - ' + (12 + i * 10) + 'px)';
      mark.title = 'link to ' + (target ? 'span ' + link.spanId + ' ' + target.span.name
          + (target.test === view.test ? '' : ' in ' + target.test.name) : 'trace ' + link.traceId + ' span ' + link.spanId);
      if (target) {
        mark.addEventListener('click', (event) => { event.stopPropagation(); follow(target); });
      }
      lane.append(mark);
    });
    const text = el('span', 'dur', span.marker ? 'marker' : duration(span.durationNanos) + (span.ended ? '' : ' OPEN'));
    if (left + width > 80 && left < 15) {
      text.classList.add('inside');
      text.style.right = 'calc(' + (100 - left - width) + '% + 4px)';
    } else if (left + width > 80) {
      text.style.right = 'calc(' + (100 - left) + '% + ' + (4 + (span.links.length ? 14 + 10 * Math.min(span.links.length - 1, 19) : 0)) + 'px)';
    } else {
      text.style.left = 'calc(' + (left + width) + '% + 4px)';
    }
    lane.append(text);
    line.append(label, lane);
    line.addEventListener('click', () => select(span));
    return line;
  }

  /** The span a link points at: in this trace, or in another test's trace on the page (by trace id). */
  function linkTarget(link) {
    if (link.traceId === view.doc.traceId) {
      const span = view.byId.get(link.spanId);
      return span ? { test: view.test, span, spanId: link.spanId } : null;
    }
    const test = state.byTrace.get(link.traceId);
    return test ? { test, span: { name: '' }, spanId: link.spanId } : null;
  }

  function follow(target) {
    if (target.test === view.test) reveal(target.span);
    else open(target.test, target.spanId);
  }

  // ---- details of one span ----------------------------------------------------------------------

  function select(span) {
    view.selected = span.spanId;
    draw();
    permalink();
    const panel = $('details');
    panel.replaceChildren();
    const close = el('button', 'close', '×');
    close.type = 'button';
    close.title = 'Close (Esc)';
    close.addEventListener('click', closeDetails);
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

    const shownStack = span.error ? span.error.stackTrace : null;
    if (span.error) {
      panel.append(el('h4', null, 'Error'));
      panel.append(el('p', 'error', span.error.type + (span.error.message != null ? ': ' + span.error.message : '')));
      panel.append(el('pre', 'stack', span.error.stackTrace));
    }
    if (span.events.length) {
      panel.append(el('h4', null, plural(span.events.length, 'event')));
      for (const event of span.events) {
        panel.append(el('p', null, '+' + duration(event.offsetNanos) + '  ' + event.name));
        const rows = entries(event.attributes).map(([k, v]) => (k === 'exception.stacktrace' && shownStack !== null
            && valueText(v) === shownStack ? [k, '(the stack trace under Error)'] : [k, valueText(v)]));
        if (rows.length) panel.append(table(rows));
      }
    }
    if (span.links.length) {
      panel.append(el('h4', null, plural(span.links.length, 'link')));
      for (const link of span.links) {
        const target = linkTarget(link);
        const line = el('p');
        if (target) {
          const a = el('a', 'link-target', '→ span ' + link.spanId + ' ' + target.span.name
              + (target.test === view.test ? '' : ' in ' + target.test.name));
          a.href = '#test=' + encodeURIComponent(target.test.id) + '&span=' + link.spanId;
          a.addEventListener('click', (event) => { event.preventDefault(); follow(target); });
          line.append(a);
        } else {
          line.textContent = '→ trace ' + link.traceId + ' span ' + link.spanId;
        }
        panel.append(line);
        const rows = entries(link.attributes).map(([k, v]) => [k, valueText(v)]);
        if (rows.length) panel.append(table(rows));
      }
    }
    const problems = view.doc.problems.filter((p) => p.spanId === span.spanId);
    if (problems.length) {
      panel.append(el('h4', null, plural(problems.length, 'problem')));
      for (const p of problems) panel.append(el('p', 'error', p.code + '  ' + p.message));
    }
    panel.hidden = false;
  }

  function closeDetails() {
    $('details').hidden = true;
    if (view) {
      view.selected = null;
      draw();
      permalink();
    }
  }

  /** Expands the ancestors of a span, scrolls to it and selects it. */
  function reveal(span) {
    for (let at = view.byId.get(span.parentId); at; at = view.byId.get(at.parentId)) view.collapsed.delete(at.spanId);
    layout();
    const index = view.rows.findIndex((r) => r[0] === span);
    const rows = $('rows');
    if (index * ROW < rows.scrollTop || (index + 1) * ROW > rows.scrollTop + rows.clientHeight) {
      rows.scrollTop = Math.max(0, index * ROW - rows.clientHeight / 2);
    }
    select(span);
  }

  function table(pairs, className) {
    const t = el('table', className);
    for (const [key, value] of pairs) {
      const tr = el('tr');
      tr.append(el('td', 'key', key), el('td', 'value', value));
      t.append(tr);
    }
    return t;
  }

  // ---- permalinks: #test=<unique id>&span=<span id> ---------------------------------------------

  let writtenHash = null;
  function permalink() {
    if (!view) return;
    const hash = '#test=' + encodeURIComponent(view.test.id) + (view.selected !== null ? '&span=' + view.selected : '');
    writtenHash = hash;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function fromHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const test = state.byId.get(params.get('test') || '');
    if (!test) return false;
    const span = params.get('span');
    open(test, span === null ? undefined : Number(span));
    return true;
  }

  window.addEventListener('hashchange', () => {
    if (location.hash !== writtenHash) fromHash();
  });

  // ---- keys, tabs and scrolling -----------------------------------------------------------------

  function moveTest(step) {
    if (!state.visible.length) return;
    const at = state.visible.indexOf(state.current);
    const next = state.visible[Math.max(0, Math.min(state.visible.length - 1, at < 0 ? 0 : at + step))];
    open(next);
    const index = state.rows.findIndex((r) => r.test === next);
    const nav = $('tests');
    if (index * TEST_ROW < nav.scrollTop) nav.scrollTop = index * TEST_ROW;
    else if ((index + 1) * TEST_ROW > nav.scrollTop + nav.clientHeight) nav.scrollTop = (index + 1) * TEST_ROW - nav.clientHeight;
    drawTests();
  }

  function moveSpan(step) {
    if (!view || !view.rows.length) return;
    const at = view.rows.findIndex((r) => r[0].spanId === view.selected);
    const next = view.rows[Math.max(0, Math.min(view.rows.length - 1, at < 0 ? 0 : at + step))][0];
    reveal(next);
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const inInput = event.target instanceof HTMLInputElement;
    if (inInput) {
      if (event.key === 'Escape' || event.key === 'Enter' || event.key === 'ArrowDown') {
        event.preventDefault();
        $('tests').focus();
      }
      return;
    }
    const inSpans = $('rows').contains(event.target) || $('details').contains(event.target);
    const key = event.key;
    let handled = true;
    if (key === '/') $('filter').focus();
    else if (key === 'Escape') closeDetails();
    else if (key === 't') showTab($('tree').hidden);
    else if ((key === 'ArrowDown' || key === 'j') && inSpans) moveSpan(1);
    else if ((key === 'ArrowUp' || key === 'k') && inSpans) moveSpan(-1);
    else if (key === 'ArrowDown' || key === 'j') moveTest(1);
    else if (key === 'ArrowUp' || key === 'k') moveTest(-1);
    else if (key === 'ArrowRight' || key === 'ArrowLeft') {
      if (!inSpans) $('rows').focus();
      else if (view && view.selected !== null && view.children.has(view.selected)
          && view.collapsed.has(view.selected) === (key === 'ArrowRight')) toggle(view.byId.get(view.selected));
      else if (!inSpans || view.selected === null) moveSpan(0);
    } else handled = false;
    if (handled) event.preventDefault();
  });

  function showTab(tree) {
    $('tab-tree').classList.toggle('active', tree);
    $('tab-timeline').classList.toggle('active', !tree);
    $('tree').hidden = !tree;
    $('timeline').hidden = tree;
    if (!tree) draw();
  }

  $('tab-timeline').addEventListener('click', () => showTab(false));
  $('tab-tree').addEventListener('click', () => showTab(true));
  function onFrame(fn) {
    let pending = false;
    return () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; fn(); });
    };
  }
  $('rows').addEventListener('scroll', onFrame(draw));
  $('tests').addEventListener('scroll', onFrame(drawTests));
  window.addEventListener('resize', onFrame(() => { drawTests(); if (view) { axis(); draw(); } }));

  // ---- start: every run's test list, then the test the address names or the first failure -------

  const runDirs = JSON.parse($('traceunit-runs').textContent);
  Promise.all(runDirs.map((dir) => load(dir + 'tests.js').then((run) => { run.dir = dir; return run; },
    (error) => { console.warn(error.message); return null; }))).then((runs) => {
    state.runs = runs.filter((r) => r !== null);
    build(state.runs);
    summary();
    filter();
    if (fromHash()) return;
    const first = state.visible.find((t) => t.status === 'FAILED') || state.visible[0];
    if (first) open(first);
  });
})();
