/* seamfinder report viewer. Part of seamfinder; MIT licence (see LICENSE beside this file).
 *
 * Draws the page from the JSON in #sf-data with DOM methods only: every name, path and
 * message from the analysed code goes into a text node or an attribute value, never
 * through an HTML parser. No network request, no external code; the layout of the
 * graphs is computed here, deterministically (same data, same picture).
 */
(function () {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  // The payload's long lists come as rows with interned text (seamfinder/report/html.py).
  function unpack(value, strings) {
    if (Array.isArray(value)) return value.map(function (v) { return unpack(v, strings); });
    if (value === null || typeof value !== 'object') return value;
    if (value.$rows) {
      var keys = value.$keys, text = {};
      value.$text.forEach(function (i) { text[i] = true; });
      return value.$rows.map(function (row) {
        var out = {};
        for (var i = 0; i < keys.length; i++) {
          out[keys[i]] = text[i] ? strings[row[i]] : unpack(row[i], strings);
        }
        return out;
      });
    }
    var out = {};
    Object.keys(value).forEach(function (k) { out[k] = unpack(value[k], strings); });
    return out;
  }

  var packed = JSON.parse(document.getElementById('sf-data').textContent);
  var D = unpack(packed.data, packed.strings);
  // A whole report, or null on the page of a candidate list or an extraction sheet alone.
  var R = D.report;
  var NONE = {dependencies: [], components: [], tables: [], data_access: [], cycles: []};
  var main = document.getElementById('sf-main');
  var nav = document.getElementById('sf-nav');
  var detail = document.getElementById('sf-detail');
  var PAGE = 50;

  // --- DOM helpers -------------------------------------------------------------------

  function add(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(parent, c); }); return; }
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  // el('td', {class: 'x', title: 'y', onclick: f}, child...): attributes as values only.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function sv(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
  }

  function loc(path, line) { return el('code', {class: 'loc'}, path + ':' + line); }

  function plural(n, word, many) { return n + ' ' + (n === 1 ? word : many || word + 's'); }

  function fmt(x) {
    if (x === null || x === undefined) return '–';
    return typeof x === 'number' && x % 1 ? String(+x.toFixed(3)) : String(x);
  }

  function short(name, max) {
    return name.length > max ? name.slice(0, max - 1) + '…' : name;
  }

  function section(id, title, intro) {
    var s = el('section', {id: id}, el('h2', null, title));
    if (intro) add(s, el('p', {class: 'intro'}, intro));
    main.appendChild(s);
    nav.appendChild(el('a', {href: '#' + id}, title));
    return s;
  }

  // A list that shows `step` items and a button for the next ones.
  function longList(items, render, step) {
    step = step || 200;
    var list = el('ul', {class: 'sites'});
    var shown = 0;
    var more = el('button', {type: 'button', class: 'more', onclick: next});
    function next() {
      items.slice(shown, shown + step).forEach(function (item) { list.appendChild(render(item)); });
      shown = Math.min(items.length, shown + step);
      more.textContent = 'show ' + Math.min(step, items.length - shown) + ' more of ' +
        (items.length - shown);
      more.hidden = shown >= items.length;
    }
    next();
    return el('div', null, list, more);
  }

  // A table with sortable columns and pages. columns: {label, key(row), cell(row), num}.
  function dataTable(columns, rows, options) {
    options = options || {};
    var size = options.pageSize || PAGE;
    var state = {rows: rows.slice(), page: 0, sort: -1, dir: 1};
    var body = el('tbody');
    var pager = el('div', {class: 'pager'});
    var head = el('tr', null, columns.map(function (col, i) {
      var th = el('th', {class: col.num ? 'num' : null, scope: 'col', title: col.title || null},
        col.label);
      if (col.key) {
        th.classList.add('sortable');
        th.addEventListener('click', function () { sortBy(i); });
      }
      return th;
    }));
    function sortBy(i) {
      state.dir = state.sort === i ? -state.dir : (columns[i].num ? -1 : 1);
      state.sort = i;
      var key = columns[i].key;
      state.rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
      });
      Array.prototype.forEach.call(head.children, function (th, j) {
        th.setAttribute('aria-sort', j === i ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
      });
      state.page = 0;
      draw();
    }
    function draw() {
      body.textContent = '';
      var pages = Math.max(1, Math.ceil(state.rows.length / size));
      state.page = Math.min(state.page, pages - 1);
      state.rows.slice(state.page * size, (state.page + 1) * size).forEach(function (row) {
        body.appendChild(el('tr', options.rowAttrs ? options.rowAttrs(row) : null,
          columns.map(function (col) {
            return el('td', {class: col.num ? 'num' : null}, col.cell(row));
          })));
      });
      pager.textContent = '';
      if (pages > 1) {
        add(pager, [
          el('button', {type: 'button', disabled: state.page === 0,
            onclick: function () { state.page--; draw(); }}, '‹ previous'),
          ' page ' + (state.page + 1) + ' of ' + pages + ' (' + state.rows.length + ' rows) ',
          el('button', {type: 'button', disabled: state.page >= pages - 1,
            onclick: function () { state.page++; draw(); }}, 'next ›')]);
      }
    }
    draw();
    var wrap = el('div', {class: 'table-wrap'},
      el('table', {class: 'data ' + (options.cls || '')}, el('thead', null, head), body), pager);
    wrap.setRows = function (rows2) { state.rows = rows2.slice(); state.page = 0; draw(); };
    return wrap;
  }

  // --- indexes ---------------------------------------------------------------------

  var depByKey = {};
  (R || NONE).dependencies.forEach(function (d) { depByKey[d.source + '\u0000' + d.target] = d; });
  var componentByName = {};
  (R || NONE).components.forEach(function (c) { componentByName[c.name] = c; });
  var ownerOf = {};
  (R || NONE).tables.forEach(function (t) { ownerOf[t.table] = t.owner; });
  var accessByComponent = {};
  (R || NONE).data_access.forEach(function (a) {
    (accessByComponent[a.component] = accessByComponent[a.component] || []).push(a);
  });
  var ROOT = '<root>';

  // --- detail panel ----------------------------------------------------------------

  function showDetail(title, parts) {
    detail.textContent = '';
    add(detail, [
      el('div', {class: 'detail-head'}, el('h3', null, title),
        el('button', {type: 'button', class: 'close', title: 'close', onclick: function () {
          detail.hidden = true;
        }}, '×')),
      parts]);
    detail.hidden = false;
    detail.scrollTop = 0;
  }

  function siteItem(site) {
    return el('li', null, loc(site.path, site.line), ' ', site.importer, ' → ', site.imported,
      site.scope !== 'module' ? el('span', {class: 'tag'}, site.scope) : null);
  }

  function accessItem(a) {
    var owner = ownerOf[a.table];
    var foreign = owner && owner !== a.component;
    return el('li', {class: foreign ? 'foreign' : null}, loc(a.path, a.line), ' ',
      el('span', {class: 'kind k-' + a.kind}, a.kind), ' ', el('b', null, a.table),
      owner ? ' (' + (foreign ? 'owned by ' + owner : 'own') + ')' : '',
      ' — ', a.module, a.via ? ' · ' + a.via : '');
  }

  function sitesBlock(title, deps) {
    if (!deps.length) return null;
    return [el('h4', null, title), deps.map(function (d) {
      return el('details', {open: deps.length <= 3},
        el('summary', null, d.source + ' → ' + d.target + ' (' + plural(d.imports, 'import') + ')'),
        longList(d.sites, siteItem, 100));
    })];
  }

  function accessBlock(title, accesses) {
    if (!accesses.length) return null;
    var sorted = accesses.slice().sort(function (a, b) {
      var fa = ownerOf[a.table] && ownerOf[a.table] !== a.component ? 0 : 1;
      var fb = ownerOf[b.table] && ownerOf[b.table] !== b.component ? 0 : 1;
      return fa - fb;
    });
    return [el('h4', null, title + ' (' + accesses.length + ')'), longList(sorted, accessItem)];
  }

  function showComponent(name) {
    var c = componentByName[name];
    if (!c) return;
    var out = R.dependencies.filter(function (d) { return d.source === name; });
    var inn = R.dependencies.filter(function (d) { return d.target === name; });
    var owned = R.tables.filter(function (t) { return t.owner === name; });
    showDetail(name, [
      el('p', null, c.detected_by + ': ' + c.reason),
      el('p', {class: 'facts'}, plural(c.modules.length, 'module') + ', ' + plural(c.lines, 'line') +
        ', Ca ' + c.ca + ', Ce ' + c.ce + ', instability ' + fmt(c.instability)),
      owned.length ? el('p', null, 'Owns ' + plural(owned.length, 'table') + ': ' +
        owned.map(function (t) { return t.table; }).join(', ')) : null,
      sitesBlock('Imports out', out),
      sitesBlock('Imported by', inn),
      accessBlock('Data accesses', accessByComponent[name] || []),
      el('p', null, el('a', {href: '#findings', onclick: function () {
        filterFindings({component: name});
      }}, 'Findings touching ' + name))]);
  }

  function showDependency(source, target) {
    var d = depByKey[source + '\u0000' + target];
    var back = depByKey[target + '\u0000' + source];
    var data = (accessByComponent[source] || []).filter(function (a) {
      return ownerOf[a.table] === target;
    });
    var cut = R.cycles.some(function (c) {
      return c.cut.some(function (x) { return x.source === source && x.target === target; });
    });
    showDetail(source + ' → ' + target, [
      cut ? el('p', {class: 'warn'}, 'Part of the cheapest cut of a cycle: remove these imports ' +
        'to break it.') : null,
      d ? sitesBlock('Import sites', [d]) : el('p', null, 'No import statements.'),
      back ? el('p', null, 'And back: ' + plural(back.imports, 'import') + ' from ' + target +
        ' to ' + source + '.') : null,
      accessBlock('Data accesses of ' + source + ' to tables of ' + target, data)]);
  }

  // --- summary ---------------------------------------------------------------------

  function severityCounts() {
    var counts = {error: 0, warning: 0, info: 0};
    R.findings.forEach(function (f) { counts[f.severity] = (counts[f.severity] || 0) + 1; });
    return counts;
  }

  function renderSummary() {
    var s = section('summary', 'Summary');
    var real = R.components.filter(function (c) { return c.name !== ROOT; });
    var counts = severityCounts();
    var cards = [
      ['files', R.stats.files_seen, R.stats.files_failed ? R.stats.files_failed + ' unreadable' : ''],
      ['components', real.length, plural(R.dependencies.length, 'dependency', 'dependencies')],
      ['cycles', R.cycles.length, R.cycles.length ? 'cheapest cuts marked in the graph' : 'none'],
      ['findings', R.findings.length,
        counts.error + ' error, ' + counts.warning + ' warning, ' + counts.info + ' info'],
      ['tables', R.tables.length, plural(R.models.length, 'model')]];
    if (R.distributed_monolith) {
      cards.push(['distributed monolith', R.distributed_monolith.score + '/100',
        R.distributed_monolith.level]);
    }
    add(s, el('div', {class: 'cards'}, cards.map(function (c) {
      return el('div', {class: 'card'}, el('div', {class: 'card-label'}, c[0]),
        el('div', {class: 'card-value'}, String(c[1])), el('div', {class: 'card-note'}, c[2]));
    })));
    add(s, el('p', {class: 'meta'}, 'Analysed ' + R.root + ' with seamfinder ' + R.tool.version +
      (R.changed_since ? '; findings in files changed since ' + R.changed_since : '') + '.'));
  }

  // --- graphs ----------------------------------------------------------------------

  // Fruchterman–Reingold from positions on a circle in the given order: deterministic.
  // Typed arrays and no allocation in the loop: 90 nodes take a few milliseconds.
  function layout(nodes, edges, width, height) {
    var n = nodes.length, i, j;
    var x = new Float64Array(n), y = new Float64Array(n);
    var dx = new Float64Array(n), dy = new Float64Array(n);
    for (i = 0; i < n; i++) {
      var a = 2 * Math.PI * i / Math.max(1, n);
      x[i] = n > 1 ? width / 2 + Math.cos(a) * width * 0.38 : width / 2;
      y[i] = n > 1 ? height / 2 + Math.sin(a) * height * 0.38 : height / 2;
    }
    var es = new Int32Array(edges.length), et = new Int32Array(edges.length);
    var ep = new Float64Array(edges.length);
    edges.forEach(function (e, k) { es[k] = e.s; et[k] = e.t; ep[k] = e.pull; });
    var k2 = width * height / Math.max(1, n) * 0.5625, k = Math.sqrt(k2);
    // Dense graphs (a monolith's components import a dozen others each) would pull into
    // a ball: the pull of an edge weakens with the mean degree.
    var damp = 1 / Math.max(1, edges.length * 2 / Math.max(1, n) / 4);
    var iterations = n > 150 ? 100 : 200;
    for (var it = 0; n > 1 && it < iterations; it++) {
      var t = (width / 10) * (1 - it / iterations) + 1;
      dx.fill(0); dy.fill(0);
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
          var ddx = x[i] - x[j], ddy = y[i] - y[j];
          var f = k2 / (ddx * ddx + ddy * ddy || 0.01);
          dx[i] += ddx * f; dy[i] += ddy * f; dx[j] -= ddx * f; dy[j] -= ddy * f;
        }
      }
      for (var e = 0; e < es.length; e++) {
        var s0 = es[e], t0 = et[e];
        var ex = x[s0] - x[t0], ey = y[s0] - y[t0];
        var g = Math.sqrt(ex * ex + ey * ey) / k * ep[e] * damp;
        dx[s0] -= ex * g; dy[s0] -= ey * g; dx[t0] += ex * g; dy[t0] += ey * g;
      }
      for (i = 0; i < n; i++) {
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        var step = Math.min(len, t);
        // A gentle pull to the centre keeps parts that share no edge on the canvas.
        x[i] += dx[i] / len * step + (width / 2 - x[i]) * 0.01;
        y[i] += dy[i] / len * step + (height / 2 - y[i]) * 0.01;
        x[i] = Math.max(40, Math.min(width - 40, x[i]));
        y[i] = Math.max(30, Math.min(height - 30, y[i]));
      }
    }
    // Stretched to fill the canvas, whatever the forces left unused.
    var x0 = Math.min.apply(null, x), x1 = Math.max.apply(null, x);
    var y0 = Math.min.apply(null, y), y1 = Math.max.apply(null, y);
    var pos = [];
    for (i = 0; i < n; i++) {
      pos.push({x: x1 > x0 ? 70 + (x[i] - x0) / (x1 - x0) * (width - 140) : width / 2,
        y: y1 > y0 ? 40 + (y[i] - y0) / (y1 - y0) * (height - 90) : height / 2});
    }
    return pos;
  }

  // spec: {id, nodes: [{id, label, r, cls, title, fill}], edges: [{s, t, w, cls, title,
  // label, directed}], onNode(node), onEdge(edge), width, height}
  function drawGraph(spec) {
    var width = spec.width, height = spec.height;
    var index = {};
    spec.nodes.forEach(function (n, i) { index[n.id] = i; });
    var edges = spec.edges.filter(function (e) {
      return e.s in index && e.t in index && e.s !== e.t;
    });
    var pos = layout(spec.nodes, edges.map(function (e) {
      return {s: index[e.s], t: index[e.t], pull: e.pull || 1};
    }), width, height);
    var svgEl = sv('svg', {class: 'graph' + (edges.length > 150 ? ' dense' : ''), viewBox: '0 0 ' + width + ' ' + height,
      role: 'img', 'aria-label': spec.label, 'data-graph': spec.id});
    var defs = sv('defs');
    ['plain', 'cycle', 'cut', 'call'].forEach(function (kind) {
      add(defs, sv('marker', {id: spec.id + '-arrow-' + kind, viewBox: '0 0 10 10', refX: 9,
        refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto'},
        sv('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow arrow-' + kind})));
    });
    var edgeLayer = sv('g', {class: 'edges'});
    var nodeLayer = sv('g', {class: 'nodes'});
    var view = sv('g', {class: 'view'}, defs, edgeLayer, nodeLayer);
    add(svgEl, view);
    var edgeEls = edges.map(function (e) {
      var g = drawEdge(e, pos[index[e.s]], pos[index[e.t]], spec.nodes[index[e.t]].r,
        spec.nodes[index[e.s]].r, spec.id);
      g.addEventListener('click', function (ev) { ev.stopPropagation(); spec.onEdge(e); });
      edgeLayer.appendChild(g);
      return g;
    });
    spec.nodes.forEach(function (n, i) {
      var g = sv('g', {class: 'node ' + (n.cls || ''), transform: 'translate(' +
        pos[i].x.toFixed(1) + ',' + pos[i].y.toFixed(1) + ')', tabindex: 0, role: 'button',
        'data-name': n.id, 'aria-label': n.title},
        sv('title', null, n.title),
        sv('circle', {r: n.r.toFixed(1), class: n.fill ? 'fill-' + n.fill : null}),
        sv('text', {y: (n.r + 11).toFixed(1), 'text-anchor': 'middle'}, short(n.label, 28)));
      function choose() {
        Array.prototype.forEach.call(nodeLayer.querySelectorAll('.selected'), function (x) {
          x.classList.remove('selected');
        });
        g.classList.add('selected');
        spec.onNode(n);
      }
      g.addEventListener('click', function (ev) { ev.stopPropagation(); choose(); });
      g.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); choose(); }
      });
      g.addEventListener('mouseenter', function () { highlight(n.id, true); });
      g.addEventListener('mouseleave', function () { highlight(n.id, false); });
      nodeLayer.appendChild(g);
    });
    function highlight(id, on) {
      svgEl.classList.toggle('focus', on);
      edges.forEach(function (e, i) {
        edgeEls[i].classList.toggle('on', on && (e.s === id || e.t === id));
      });
    }
    return el('div', {class: 'graph-box'}, zoomControls(svgEl, width, height), svgEl);
  }

  function drawEdge(e, a, b, rTarget, rSource, graphId) {
    var dx = b.x - a.x, dy = b.y - a.y;
    var len = Math.sqrt(dx * dx + dy * dy) || 1;
    // Curved to the left of its direction, so that a -> b and b -> a do not overlap.
    var bend = e.directed === false ? 0 : 0.12;
    var cx = (a.x + b.x) / 2 - dy * bend, cy = (a.y + b.y) / 2 + dx * bend;
    var ex = b.x - cx, ey = b.y - cy, el2 = Math.sqrt(ex * ex + ey * ey) || 1;
    var sx = a.x + (cx - a.x) / (Math.sqrt((cx - a.x) * (cx - a.x) + (cy - a.y) * (cy - a.y)) || 1) * rSource;
    var sy = a.y + (cy - a.y) / (Math.sqrt((cx - a.x) * (cx - a.x) + (cy - a.y) * (cy - a.y)) || 1) * rSource;
    var tx = b.x - ex / el2 * (rTarget + 2), ty = b.y - ey / el2 * (rTarget + 2);
    var d = 'M' + sx.toFixed(1) + ',' + sy.toFixed(1) + ' Q' + cx.toFixed(1) + ',' +
      cy.toFixed(1) + ' ' + tx.toFixed(1) + ',' + ty.toFixed(1);
    var kind = e.kind || 'plain';
    var g = sv('g', {class: 'edge ' + (e.cls || ''), 'data-source': e.s, 'data-target': e.t},
      sv('title', null, e.title),
      sv('path', {d: d, class: 'hit'}),
      sv('path', {d: d, class: 'line', 'stroke-width': e.w.toFixed(2),
        'marker-end': e.directed === false ? null : 'url(#' + graphId + '-arrow-' + kind + ')'}));
    if (e.label) {
      add(g, sv('text', {x: ((a.x + b.x) / 2 + cx) / 2, y: ((a.y + b.y) / 2 + cy) / 2,
        class: 'edge-label', 'text-anchor': 'middle'}, e.label));
    }
    return g;
  }

  function zoomControls(svgEl, width, height) {
    var box = {x: 0, y: 0, w: width, h: height};
    function apply() {
      svgEl.setAttribute('viewBox', [box.x, box.y, box.w, box.h].map(function (v) {
        return v.toFixed(1);
      }).join(' '));
    }
    function zoom(factor, fx, fy) {
      fx = fx === undefined ? 0.5 : fx; fy = fy === undefined ? 0.5 : fy;
      var w = box.w * factor, h = box.h * factor;
      box.x += (box.w - w) * fx; box.y += (box.h - h) * fy; box.w = w; box.h = h;
      apply();
    }
    svgEl.addEventListener('wheel', function (ev) {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      var r = svgEl.getBoundingClientRect();
      zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, (ev.clientX - r.left) / r.width,
        (ev.clientY - r.top) / r.height);
    }, {passive: false});
    var drag = null;
    svgEl.addEventListener('pointerdown', function (ev) {
      if (ev.target !== svgEl) return;
      drag = {x: ev.clientX, y: ev.clientY, bx: box.x, by: box.y};
      svgEl.setPointerCapture(ev.pointerId);
    });
    svgEl.addEventListener('pointermove', function (ev) {
      if (!drag) return;
      var r = svgEl.getBoundingClientRect();
      box.x = drag.bx - (ev.clientX - drag.x) * box.w / r.width;
      box.y = drag.by - (ev.clientY - drag.y) * box.h / r.height;
      apply();
    });
    svgEl.addEventListener('pointerup', function () { drag = null; });
    return el('div', {class: 'zoom'},
      el('button', {type: 'button', title: 'zoom in', onclick: function () { zoom(1 / 1.3); }}, '+'),
      el('button', {type: 'button', title: 'zoom out', onclick: function () { zoom(1.3); }}, '−'),
      el('button', {type: 'button', title: 'fit', onclick: function () {
        box = {x: 0, y: 0, w: width, h: height}; apply();
      }}, 'fit'),
      el('span', {class: 'hint'}, ' drag to pan, Ctrl+wheel to zoom; click a node or an edge'));
  }

  function renderComponentGraph() {
    var g = D.graph;
    if (!g.nodes.length) return;
    var s = section('graph', 'Component graph',
      'Node size: lines of code. Edge width: import statements. Red: edges inside a cycle; ' +
      'dashed red: the cheapest cut. Colours: the proposed seams.');
    var seamIndex = {};
    g.seams.forEach(function (seam, i) { seamIndex[seam[0]] = i % 12; });
    var maxLines = Math.max.apply(null, g.nodes.map(function (n) { return n[1]; }).concat([1]));
    var maxImports = Math.max.apply(null, g.edges.map(function (e) { return e[2]; }).concat([1]));
    var nodes = g.nodes.slice();
    // Seam by seam around the circle, so that a seam starts together.
    nodes.sort(function (a, b) {
      var sa = a[2] in seamIndex ? seamIndex[a[2]] : 99, sb = b[2] in seamIndex ? seamIndex[b[2]] : 99;
      return sa - sb || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
    var area = Math.max(1, nodes.length);
    var width = Math.round(Math.min(2400, Math.max(900, Math.sqrt(area) * 150)));
    var height = Math.round(width * 0.62);
    add(s, drawGraph({
      id: 'components', label: 'component graph', width: width, height: height,
      nodes: nodes.map(function (n) {
        return {id: n[0], label: n[0], r: 5 + (nodes.length > 40 ? 14 : 22) * Math.sqrt(n[1] / maxLines),
          fill: n[2] in seamIndex ? 's' + seamIndex[n[2]] : 'none', cls: n[3] ? 'in-cycle' : '',
          title: n[0] + ': ' + plural(n[1], 'line') + (n[2] ? ', seam ' + n[2] : '')};
      }),
      edges: g.edges.map(function (e) {
        return {s: e[0], t: e[1], w: 1 + 5 * Math.log(1 + e[2]) / Math.log(1 + maxImports),
          kind: e[4] ? 'cut' : e[3] ? 'cycle' : 'plain', cls: e[4] ? 'cut' : e[3] ? 'cycle' : '',
          pull: 0.5 + Math.log(1 + e[2]) / Math.log(1 + maxImports),
          title: e[0] + ' → ' + e[1] + ': ' + plural(e[2], 'import') + (e[4] ? ' (cut)' : '')};
      }),
      onNode: function (n) { showComponent(n.id); },
      onEdge: function (e) { showDependency(e.s, e.t); }
    }));
    if (g.seams.length) {
      add(s, el('div', {class: 'legend'}, 'Proposed seams: ', g.seams.map(function (seam) {
        return el('span', {class: 'swatch fill-s' + seamIndex[seam[0]]}, seam[0] + ' ' + seam[1]);
      })));
    }
  }

  // --- dependency structure matrix -------------------------------------------------

  function renderDsm() {
    var order = R.dsm.components, cells = R.dsm.matrix;
    if (!order.length) return;
    var s = section('dsm', 'Dependency structure matrix',
      'Import statements, row imports column; providers first, as in the terminal. Marks ' +
      'above the diagonal are dependencies in cycles. Hover for details, click for the sites.');
    var tip = el('div', {class: 'dsm-tip', 'aria-live': 'polite'}, '\u00a0');
    var body = el('tbody');
    // 90 components make 8,100 cells: built bare, their position read from the table.
    order.forEach(function (name, i) {
      var tr = document.createElement('tr');
      tr.appendChild(el('th', {class: 'row', title: name}, (i + 1) + ' ' + short(name, 34)));
      var row = cells[i];
      for (var j = 0; j < row.length; j++) {
        var td = document.createElement('td');
        var n = row[j];
        if (i === j) td.className = 'diag';
        else if (n) {
          td.className = 'q' + Math.min(6, Math.ceil(Math.log2(n + 1))) + (j > i ? ' up' : '');
          td.textContent = n;
        }
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
    var table = el('table', {class: 'dsm'},
      el('thead', null, el('tr', null, el('th', {class: 'corner'}), order.map(function (name, j) {
        return el('th', {class: 'col', title: name}, String(j + 1));
      }))), body);
    function at(ev) {
      var td = ev.target.closest('td');
      return td ? {r: td.parentNode.rowIndex - 1, c: td.cellIndex - 1} : null;
    }
    var lit = [];
    table.addEventListener('mouseover', function (ev) {
      var p = at(ev);
      lit.forEach(function (x) { x.classList.remove('lit'); });
      lit = [];
      if (!p) return;
      lit = [body.rows[p.r].cells[0], table.tHead.rows[0].cells[p.c + 1]];
      lit.forEach(function (x) { x.classList.add('lit'); });
      var n = cells[p.r][p.c];
      tip.textContent = p.r === p.c ? order[p.r] : order[p.r] + ' → ' + order[p.c] + ': ' +
        (n ? plural(n, 'import statement') + (p.c > p.r ? ' (in a cycle)' : '') : 'none');
    });
    table.addEventListener('click', function (ev) {
      var p = at(ev);
      if (p && p.r !== p.c && cells[p.r][p.c]) showDependency(order[p.r], order[p.c]);
    });
    add(s, [tip, el('div', {class: 'scroll'}, table)]);
  }

  // --- data ownership matrix -------------------------------------------------------

  function renderDataMatrix() {
    if (!R.data_matrix.length && !R.tables.length) return;
    var s = section('data', 'Data ownership',
      'Tables × components: D defines (owner), W writes, R reads, F foreign key or ' +
      'relationship, S raw SQL; hover a cell for the counts. Click a column heading to sort.');
    var uses = {};
    var tables = {};
    var touching = {};
    R.tables.forEach(function (t) { tables[t.table] = t; });
    R.data_matrix.forEach(function (u) {
      (uses[u.table] = uses[u.table] || {})[u.component] = u;
      if (!tables[u.table]) tables[u.table] = {table: u.table, owner: u.owner};
      touching[u.component] = true;
    });
    var columns = R.dsm.components.filter(function (c) { return touching[c]; });
    Object.keys(touching).sort().forEach(function (c) {
      if (columns.indexOf(c) < 0) columns.push(c);
    });
    var rows = Object.keys(tables).sort().map(function (name) {
      var t = tables[name], u = uses[name] || {};
      var users = Object.keys(u).filter(function (c) { return c !== t.owner; });
      var sites = 0;
      Object.keys(u).forEach(function (c) { sites += total(u[c]); });
      return {table: name, owner: t.owner || '', flags: t, uses: u, users: users.length, sites: sites};
    });
    var cols = [
      {label: 'table', key: function (r) { return r.table; }, cell: function (r) {
        return [r.table, r.flags.shared ? el('span', {class: 'tag'}, 'shared') : null,
          r.flags.declared ? el('span', {class: 'tag'}, 'declared') : null];
      }},
      {label: 'owner', key: function (r) { return r.owner; }, cell: function (r) {
        return r.owner || el('span', {class: 'muted'}, 'outside the code');
      }},
      {label: 'other users', num: true, key: function (r) { return r.users; },
        cell: function (r) { return r.users ? String(r.users) : ''; }},
      {label: 'sites', num: true, key: function (r) { return r.sites; },
        cell: function (r) { return String(r.sites); }}
    ].concat(columns.map(function (c) {
      return {label: el('span', {class: 'vertical'}, short(c, 26)), title: c, cls: 'm',
        key: function (r) { return r.uses[c] ? -total(r.uses[c]) : 0; },
        cell: function (r) { return matrixCell(r, c); }};
    }));
    var filter = el('input', {type: 'search', placeholder: 'filter tables or owners',
      'aria-label': 'filter tables'});
    var table = dataTable(cols, rows, {cls: 'matrix', pageSize: columns.length > 40 ? 25 : PAGE});
    filter.addEventListener('input', function () {
      var q = filter.value.toLowerCase();
      table.setRows(rows.filter(function (r) {
        return !q || r.table.toLowerCase().indexOf(q) >= 0 || r.owner.toLowerCase().indexOf(q) >= 0;
      }));
    });
    add(s, [el('div', {class: 'filters'}, filter), el('div', {class: 'scroll'}, table)]);
  }

  function total(u) { return u.defines + u.reads + u.writes + u.relations + u.raw_sql; }

  function matrixCell(row, component) {
    var u = row.uses[component];
    if (!u) return '';
    var own = component === row.owner;
    var text = (u.defines ? 'D' : '') + (u.writes ? 'W' : '') + (u.reads ? 'R' : '') +
      (u.relations ? 'F' : '') + (u.raw_sql ? 'S' : '');
    var cls = own ? 'own' : u.writes ? 'fw' : u.reads || u.raw_sql ? 'fr' : 'ff';
    return el('span', {class: 'mcell ' + cls, title: component + ' on ' + row.table + ': defines ' +
      u.defines + ', reads ' + u.reads + ', writes ' + u.writes + ', relations ' + u.relations +
      ', raw SQL ' + u.raw_sql + (own ? ' (owner)' : '')}, text);
  }

  // --- findings and rules ----------------------------------------------------------

  var findingsView = null;

  function filterFindings(values) {
    if (!findingsView) return;
    Object.keys(values).forEach(function (k) { findingsView.selects[k].value = values[k]; });
    findingsView.apply();
  }

  function options(label, values) {
    return el('select', {'aria-label': label}, el('option', {value: ''}, 'any ' + label),
      values.map(function (v) { return el('option', {value: v}, v); }));
  }

  function renderFindings() {
    var s = section('findings', 'Findings', R.findings.length ? null : 'No findings.');
    if (!R.findings.length) return;
    var uniq = function (f) {
      var seen = {};
      R.findings.forEach(function (x) { f(x).forEach(function (v) { if (v) seen[v] = true; }); });
      return Object.keys(seen).sort();
    };
    var selects = {
      code: options('code', uniq(function (f) { return [f.code]; })),
      severity: options('severity', ['error', 'warning', 'info'].filter(function (v) {
        return R.findings.some(function (f) { return f.severity === v; });
      })),
      component: options('component', uniq(function (f) {
        return [f.source_component, f.target_component];
      }))
    };
    var text = el('input', {type: 'search', placeholder: 'search messages and paths',
      'aria-label': 'search findings'});
    var rank = {error: 0, warning: 1, info: 2};
    var table = dataTable([
      {label: 'severity', key: function (f) { return rank[f.severity]; },
        cell: function (f) { return el('span', {class: 'sev sev-' + f.severity}, f.severity); }},
      {label: 'rule', key: function (f) { return f.code; }, cell: function (f) {
        return el('a', {href: '#rule-' + f.code, title: 'the rule page'}, f.code + ' ' + f.rule);
      }},
      {label: 'location', key: function (f) { return (f.path || '') + ':' + (1e7 + (f.line || 0)); },
        cell: function (f) { return f.path ? loc(f.path, f.line) : '–'; }},
      {label: 'message', cell: function (f) { return el('span', {class: 'msg'}, f.message); }},
      {label: 'components', key: function (f) { return f.source_component || ''; },
        cell: function (f) {
          return [f.source_component || '', f.target_component ? ' → ' + f.target_component : ''];
        }}
    ], R.findings, {cls: 'findings'});
    function apply() {
      var code = selects.code.value, sev = selects.severity.value, comp = selects.component.value;
      var q = text.value.toLowerCase();
      table.setRows(R.findings.filter(function (f) {
        return (!code || f.code === code) && (!sev || f.severity === sev) &&
          (!comp || f.source_component === comp || f.target_component === comp) &&
          (!q || (f.message + ' ' + f.path).toLowerCase().indexOf(q) >= 0);
      }));
    }
    [selects.code, selects.severity, selects.component].forEach(function (x) {
      x.addEventListener('change', apply);
    });
    text.addEventListener('input', apply);
    findingsView = {selects: selects, apply: apply};
    add(s, [el('div', {class: 'filters'}, selects.code, selects.severity, selects.component, text),
      table]);
  }

  // A few Markdown forms (headings, fences, lists, paragraphs, code spans) as DOM nodes.
  function markdown(text) {
    var out = el('div', {class: 'md'});
    var lines = text.split('\n'), i = 0, para = [];
    function flush() {
      if (para.length) out.appendChild(el('p', null, inline(para.join(' '))));
      para = [];
    }
    while (i < lines.length) {
      var line = lines[i];
      if (/^```/.test(line)) {
        flush();
        var code = [];
        for (i++; i < lines.length && !/^```/.test(lines[i]); i++) code.push(lines[i]);
        out.appendChild(el('pre', null, code.join('\n')));
      } else if (/^#{1,6} /.test(line)) {
        flush();
        out.appendChild(el(line[1] === '#' ? 'h5' : 'h4', null, line.replace(/^#+ /, '')));
      } else if (/^\s*[-*] /.test(line)) {
        flush();
        var items = el('ul');
        for (; i < lines.length && /^\s*[-*] /.test(lines[i]); i++) {
          items.appendChild(el('li', null, inline(lines[i].replace(/^\s*[-*] /, ''))));
        }
        out.appendChild(items);
        continue;
      } else if (!line.trim()) {
        flush();
      } else {
        para.push(line.trim());
      }
      i++;
    }
    flush();
    return out;
  }

  function inline(text) {
    return text.split('`').map(function (part, i) {
      return i % 2 ? el('code', null, part) : part;
    });
  }

  function renderRules() {
    var codes = Object.keys(D.rules).sort();
    if (!codes.length) return;
    var s = section('rules', 'Rules', 'The rules this run evaluated, with their pages.');
    codes.forEach(function (code) {
      var r = D.rules[code];
      add(s, el('details', {id: 'rule-' + code, class: 'rule'},
        el('summary', null, el('b', null, code + ' ' + r.name), ' (' + r.severity + ') ', r.summary),
        markdown(r.page || r.summary)));
    });
    function openRule() {
      var target = location.hash.slice(1);
      var node = target.indexOf('rule-') === 0 ? document.getElementById(target) : null;
      if (node) { node.open = true; node.scrollIntoView(); }
    }
    window.addEventListener('hashchange', openRule);
    openRule();
  }

  // --- cycles, seams, candidates, extraction ---------------------------------------

  function renderCycles() {
    if (!R.cycles.length) return;
    var s = section('cycles', 'Cycles');
    R.cycles.forEach(function (c) {
      add(s, el('div', {class: 'cycle'}, el('p', null, el('b', null, c.components.join(' ⇄ ')),
        ' — cheapest cut: ' + plural(c.cut_imports, 'import') + ' in ' + plural(c.cut.length, 'edge') +
        (c.exact ? '' : ' (heuristic: the cycle is too large to solve exactly)')),
      c.cut.map(function (d) {
        return el('details', null, el('summary', null, 'remove ' + d.source + ' → ' + d.target +
          ' (' + d.imports + ')'), longList(d.sites, siteItem, 50));
      })));
    });
  }

  function renderSeams() {
    if (!R.seams) return;
    var s = section('seams', 'Proposed seams',
      'Community detection on the module graph (imports, shared tables' +
      (R.seams.cochange ? ', co-change' : '') + '); agreement with the components (adjusted ' +
      'Rand index): ' + fmt(R.seams.agreement) + '.');
    add(s, dataTable([
      {label: 'seam', key: function (p) { return +p.name.slice(1); }, cell: function (p) { return p.name; }},
      {label: 'gathers', key: function (p) { return p.label; }, cell: function (p) { return p.label; }},
      {label: 'modules', num: true, key: function (p) { return p.modules.length; },
        cell: function (p) { return String(p.modules.length); }},
      {label: 'from components', cell: function (p) {
        return p.components.map(function (c) { return c.component + ' ' + c.modules; }).join(', ');
      }}], R.seams.partitions, {pageSize: 25}));
    if (R.metrics) {
      var names = ['partitions', 'modularity', 'structural_modularity', 'icp', 'ifn', 'ned',
        'data_purity'];
      add(s, el('table', {class: 'data small'}, el('thead', null, el('tr', null,
        el('th', null, 'metric'), el('th', {class: 'num'}, 'components'),
        el('th', {class: 'num'}, 'proposed'))), el('tbody', null, names.map(function (n) {
          return el('tr', null, el('td', null, n.replace(/_/g, ' ')),
            el('td', {class: 'num'}, fmt(R.metrics.declared[n])),
            el('td', {class: 'num'}, fmt(R.metrics.proposed[n])));
        }))));
    }
    if (R.seams.misplaced.length) {
      add(s, [el('h3', null, 'Modules that lean on another component'),
        longList(R.seams.misplaced, function (m) {
          return el('li', null, el('b', null, m.module), ' (' + m.component + ') uses ' +
            m.closest.component + ' more: ' + m.closest.imports + ' imports, ' + m.closest.tables +
            ' tables vs ' + m.own.imports + ', ' + m.own.tables + ' of its own');
        }, 50)]);
    }
  }

  // The score in green, then one segment per factor's points: together 100.
  function breakdown(c) {
    function seg(cls, width, title) {
      var span = el('span', {class: cls, title: title});
      span.style.width = Math.max(0, width) + '%';  // CSSOM: allowed by the page's policy
      return span;
    }
    return el('div', {class: 'bar', title: 'score ' + c.score + ' of 100'},
      seg('bar-score', c.score, 'score ' + fmt(c.score)),
      c.factors.filter(function (f) { return f.points > 0; }).map(function (f, i) {
        return seg('bar-seg f' + (i % 6), f.points,
          f.name + ': −' + fmt(f.points) + ' (' + f.detail + ')');
      }));
  }

  function renderCandidates(candidates) {
    if (!candidates.length) return;
    var s = section('candidates', 'Extraction candidates',
      'Easiest first: 100 minus the points each obstacle costs. Open a row for the breakdown.');
    add(s, dataTable([
      {label: '#', num: true, key: function (c) { return c.rank; }, cell: function (c) { return String(c.rank); }},
      {label: 'component', key: function (c) { return c.component; }, cell: function (c) {
        return R ? el('a', {href: '#graph', onclick: function () { showComponent(c.component); }},
          c.component) : c.component;
      }},
      {label: 'score', num: true, key: function (c) { return c.score; }, cell: function (c) { return fmt(c.score); }},
      {label: 'breakdown', cell: function (c) {
        return el('details', null, el('summary', null, breakdown(c)),
          el('table', {class: 'data small'}, el('tbody', null, c.factors.map(function (f) {
            return el('tr', null, el('td', null, f.name), el('td', {class: 'num'}, fmt(f.value)),
              el('td', {class: 'num'}, '−' + fmt(f.points)), el('td', null, f.detail));
          }))));
      }},
      {label: 'why', cell: function (c) { return c.reasons.slice(0, 2).join('; '); }},
      {label: 'lines', num: true, key: function (c) { return c.lines; }, cell: function (c) { return String(c.lines); }}
    ], candidates, {pageSize: 25, cls: 'candidates'}));
  }

  function useLine(u) {
    return el('li', null, el('b', null, u.component), ' on ' + u.table + ': ' +
      ['reads', 'writes', 'relations', 'raw_sql'].filter(function (k) { return u[k]; })
        .map(function (k) { return k.replace('_', ' ') + ' ' + u[k]; }).join(', '));
  }

  function renderExtraction() {
    var x = D.extraction;
    if (!x) return;
    var s = section('extraction', 'Extracting ' + x.component,
      'What carving ' + x.component + ' out as a service would cost.');
    var inbound = x.calls.filter(function (c) { return c.direction === 'inbound'; });
    var outbound = x.calls.filter(function (c) { return c.direction !== 'inbound'; });
    function callBlock(title, calls) {
      if (!calls.length) return null;
      return [el('h3', null, title + ' (' + calls.length + ' callers)'), calls.map(function (c) {
        return el('details', null, el('summary', null, c.caller + ' (' + c.component + '): ' +
          plural(c.sites.length, 'import')), longList(c.sites, siteItem, 50));
      })];
    }
    add(s, [
      el('p', null, plural(x.modules.length, 'module') +
        (x.added.length ? '; taken in: ' + x.added.join(', ') : '') +
        (x.left_behind.length ? '; left behind: ' + x.left_behind.join(', ') : '')),
      callBlock('Calls into the service', inbound),
      callBlock('Calls out of the service', outbound),
      x.interface.length ? [el('h3', null, 'Interface to publish (' + x.interface.length + ')'),
        longList(x.interface, function (p) {
          return el('li', null, el('code', null, p.symbol), ' — ' + plural(p.sites, 'site') +
            ', used by ' + p.users.join(', '));
        }, 50)] : null,
      x.tables.length ? [el('h3', null, 'Tables that move'), longList(x.tables, function (t) {
        return el('li', null, el('b', null, t.table), ' (' + t.module + ')',
          t.users.length ? el('ul', null, t.users.map(useLine)) : ' — no other user');
      }, 50)] : null,
      x.foreign_tables.length ? [el('h3', null, 'Tables it keeps using'),
        longList(x.foreign_tables, useLine, 50)] : null,
      x.relations.length ? [el('h3', null, 'Foreign keys to break'),
        longList(x.relations, accessItem, 50)] : null,
      x.sagas.length ? [el('h3', null, 'Transactions that become sagas'),
        longList(x.sagas, function (t) {
          return el('li', null, loc(t.path, t.line), ' ' + t.kind + ' in ' + t.module +
            (t.scope ? ':' + t.scope : '') + ' writes ' + t.writes.map(function (w) {
              return w.table;
            }).join(', '));
        }, 50)] : null,
      x.cycles.length ? el('p', {class: 'warn'}, plural(x.cycles.length, 'cycle') +
        ' would become distributed: ' + x.cycles.map(function (c) {
          return c.components.join(' ⇄ ');
        }).join('; ')) : null,
      el('table', {class: 'data small'}, el('thead', null, el('tr', null, el('th', null, 'metric'),
        el('th', {class: 'num'}, 'before'), el('th', {class: 'num'}, 'after'))),
      el('tbody', null, Object.keys(x.metrics.before).sort().map(function (k) {
        return el('tr', null, el('td', null, k.replace(/_/g, ' ')),
          el('td', {class: 'num'}, fmt(x.metrics.before[k])),
          el('td', {class: 'num'}, fmt(x.metrics.after[k])));
      })))]);
  }

  // --- services --------------------------------------------------------------------

  function showService(name) {
    var svc = R.services.filter(function (x) { return x.name === name; })[0];
    var calls = R.service_calls.filter(function (c) { return c.source === name || c.target === name; });
    var pairs = R.service_coupling.filter(function (p) { return p.a === name || p.b === name; });
    showDetail(name, [
      el('p', null, svc.kind + ', ' + plural(svc.lines, 'line') + '; ' + svc.detected_by + ': ' +
        svc.reason),
      el('p', null, 'Folders: ' + svc.paths.join(', ')),
      calls.length ? [el('h4', null, 'Synchronous calls'), longList(calls, callItem, 100)] : null,
      pairs.map(pairBlock)]);
  }

  function callItem(c) {
    return el('li', null, loc(c.path, c.line), ' ' + c.source + ' → ' + c.target + ' ',
      el('b', null, c.method), ' ' + c.url + ' (' + c.library + ', ' + c.via + ')');
  }

  function pairBlock(p) {
    return [el('h4', null, p.a + ' ⇄ ' + p.b + ': ' + p.score + ' ' + p.level),
      el('ul', {class: 'sites'}, p.evidence.map(function (e) {
        return el('li', null, el('span', {class: 'kind'}, e.kind), ' ' + e.detail + ' (+' + e.weight + ')',
          e.sites.length ? el('ul', null, e.sites.map(function (x) {
            return el('li', null, loc(x.path, x.line));
          })) : null);
      }))];
  }

  function renderServices() {
    var g = D.services;
    if (!g) return;
    var dm = R.distributed_monolith;
    var parts = (dm.breakdown || []).map(function (p) { return p.kind + ' ' + p.points; });
    var s = section('services', 'Services',
      'Distributed monolith: ' + dm.score + '/100 ' + dm.level +
      (parts.length ? ' (= ' + parts.join(' + ') + ')' : '') + '. Lines: coupling between ' +
      'services (colour by level; labels list the evidence: shared databases, tables, ' +
      'libraries, imports); purple arrows: synchronous calls. Click for the evidence.');
    var maxLines = Math.max.apply(null, g.nodes.map(function (n) { return n[2]; }).concat([1]));
    var edges = g.links.map(function (l) {
      return {s: l[0], t: l[1], w: 1 + l[2] / 20, directed: false, cls: 'level-' + l[3],
        label: l[4].map(function (k) { return k === 'shared-database' ? 'DB' : k; }).join(', '),
        title: l[0] + ' ⇄ ' + l[1] + ': ' + l[2] + ' ' + l[3] + ' (' + l[4].join(', ') + ')',
        pair: l};
    }).concat(g.calls.map(function (c) {
      return {s: c[0], t: c[1], w: 2, kind: 'call', cls: 'call', pull: 0.3,
        label: c[3].join(' ') + (c[2] > 1 ? ' ×' + c[2] : ''),
        title: c[0] + ' calls ' + c[1] + ': ' + plural(c[2], 'call')};
    }));
    add(s, drawGraph({
      id: 'services', label: 'service graph', width: 900, height: 520,
      nodes: g.nodes.map(function (n) {
        return {id: n[0], label: n[0], r: 10 + 20 * Math.sqrt(n[2] / maxLines),
          fill: n[1] === 'library' ? 'lib' : 'svc', cls: 'kind-' + n[1],
          title: n[0] + ' (' + n[1] + ', ' + plural(n[2], 'line') + ', score ' + n[3] + ')'};
      }),
      edges: edges,
      onNode: function (n) { showService(n.id); },
      onEdge: function (e) {
        var pair = R.service_coupling.filter(function (p) {
          return (p.a === e.s && p.b === e.t) || (p.a === e.t && p.b === e.s);
        })[0];
        var calls = R.service_calls.filter(function (c) { return c.source === e.s && c.target === e.t; });
        showDetail(e.title, [pair && !e.kind ? pairBlock(pair) : null,
          calls.length && e.kind ? longList(calls, callItem, 100) : null]);
      }
    }));
    add(s, dataTable([
      {label: 'service', key: function (x) { return x.name; }, cell: function (x) { return x.name; }},
      {label: 'kind', key: function (x) { return x.kind; }, cell: function (x) { return x.kind; }},
      {label: 'folders', cell: function (x) { return x.paths.join(', '); }},
      {label: 'found by', cell: function (x) { return x.detected_by + ': ' + x.reason; }},
      {label: 'lines', num: true, key: function (x) { return x.lines; }, cell: function (x) { return String(x.lines); }},
      {label: 'score', num: true, key: function (x) { return x.score; },
        cell: function (x) { return x.kind === 'service' ? String(x.score) : '–'; }}
    ], R.services, {pageSize: 25}));
    if (R.service_coupling.length) {
      add(s, [el('h3', null, 'Coupling between services'), R.service_coupling.map(pairBlock)]);
    }
  }

  // --- the page ----------------------------------------------------------------------

  if (R) {
    renderSummary();
    renderComponentGraph();
    renderServices();
    renderDsm();
    renderDataMatrix();
    renderCycles();
    renderFindings();
    renderCandidates(R.candidates);
    renderSeams();
    renderRules();
  } else {
    renderCandidates(D.candidates || []);
    renderExtraction();
  }
  // Ready once the first frame is laid out: the time a reader waits, from navigation.
  requestAnimationFrame(function () {
    setTimeout(function () {
      document.documentElement.setAttribute('data-ready', Math.round(performance.now()));
    }, 0);
  });
})();
