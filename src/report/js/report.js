// The page script of clusterbench's HTML reports (inlined by the report layer).
// Reads the page's data (<script type="application/json" id="cb-data">) and
// draws each chart it lists into the container of the same id with Apache
// ECharts. Text from the data (customer ids, run parameters, segment names)
// reaches the page only through textContent or ECharts' own text drawing,
// never as HTML. Errors go to #cb-errors (window.cbReportError).
'use strict';
(function () {
  var palette = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb', '#000000',
                 '#ff9f40', '#7b4ea3', '#2f9e8f', '#a0522d'];
  var noiseColour = '#c8c8c8';
  var data = JSON.parse(document.getElementById('cb-data').textContent);
  var runs = data.runs || [];
  var ids = data.ids || [];

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function fixed(value, digits) {
    return (typeof value === 'number' && isFinite(value)) ? value.toFixed(digits) : '-';
  }

  // One run in lines of text: what a tooltip shows about the run a point or bar belongs to.
  function runLines(index) {
    var run = runs[index];
    if (!run) return [];
    var lines = [run.space + ' · ' + run.algorithm + ' · k=' + run.k + (run.k_found !== run.k ? ' (found ' + run.k_found + ')' : ''),
                 'params: ' + (run.params || '(defaults)'),
                 'sizes: ' + (run.sizes.length ? run.sizes.join(' / ') : '-') + (run.noise ? ' + noise ' + run.noise : '')];
    var scores = [];
    Object.keys(run.scores || {}).forEach(function (name) { scores.push(name + ' ' + fixed(run.scores[name], 4)); });
    if (scores.length) lines.push(scores.join(', '));
    lines.push(run.eligible ? 'eligible' : 'not eligible: ' + run.ineligible);
    return lines;
  }

  function tooltipBox(title, lines) {
    var box = element('div', null, 'cb-tip');
    box.appendChild(element('b', title));
    lines.forEach(function (line) { box.appendChild(element('div', line)); });
    return box;
  }

  function baseOption(spec) {
    return {
      animation: false,
      color: palette,
      title: { text: spec.title, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'item', confine: true, enterable: false },
      grid: { left: 64, right: 24, top: 48, bottom: 64 }
    };
  }

  function valueAxis(name, extra) {
    var axis = { type: 'value', name: name, nameLocation: 'middle', nameGap: 30, scale: true };
    Object.keys(extra || {}).forEach(function (key) { axis[key] = extra[key]; });
    return axis;
  }

  // Scores over k: one line per series; each point is [k, value, run index].
  function lines(spec) {
    var option = baseOption(spec);
    option.legend = { type: 'scroll', bottom: 0 };
    option.grid.bottom = 72;
    option.xAxis = valueAxis(spec.x_name, { minInterval: 1 });
    option.yAxis = valueAxis(spec.y_name, { nameGap: 44 });
    if (spec.y_min !== undefined && spec.y_min !== null) {  // a range shared with other charts
      option.yAxis.min = spec.y_min;
      option.yAxis.max = spec.y_max;
      option.yAxis.interval = spec.y_interval;
      option.yAxis.scale = false;
    }
    option.tooltip.formatter = function (p) {
      var point = p.data;
      return tooltipBox(p.seriesName + ': ' + spec.y_name + ' ' + fixed(point[1], 4) + ' at k=' + point[0],
                        runLines(point[2]).concat(point[3] !== undefined ? [point[3]] : []));
    };
    option.series = spec.series.map(function (s) {
      return { name: s.name, type: 'line', data: s.points, symbolSize: 6,
               lineStyle: { type: s.dashed ? 'dashed' : 'solid' },
               itemStyle: s.colour ? { color: s.colour } : undefined,
               markLine: s.mark_k ? { silent: true, symbol: 'none', label: { formatter: s.mark_label || '' },
                                      data: [{ xAxis: s.mark_k }] } : undefined };
    });
    return option;
  }

  // Cluster sizes of one run: a bar per cluster (noise grey).
  function bars(spec) {
    var option = baseOption(spec);
    option.xAxis = { type: 'category', data: spec.categories, name: spec.x_name, nameLocation: 'middle', nameGap: 30 };
    option.yAxis = valueAxis(spec.y_name, { nameGap: 48, scale: false });
    var total = spec.values.reduce(function (a, b) { return a + b; }, 0);
    option.tooltip.formatter = function (p) {
      return tooltipBox(spec.categories[p.dataIndex] + ': ' + p.value + ' points (' + fixed(100 * p.value / total, 1) + ' %)',
                        runLines(spec.run));
    };
    option.series = [{ type: 'bar', data: spec.values.map(function (v, i) {
      return { value: v, itemStyle: { color: spec.noise_index === i ? noiseColour : palette[i % palette.length] } };
    }), label: { show: true, position: 'top' } }];
    return option;
  }

  // A run drawn on a space's first two coordinates: a series per cluster, each
  // point [x, y, row]; the row names the customer. Zoom with the wheel or the sliders.
  function scatter(spec) {
    var option = baseOption(spec);
    option.legend = { type: 'scroll', bottom: 0 };
    option.grid = { left: 64, right: 56, top: 48, bottom: 104 };
    option.xAxis = valueAxis(spec.x_name);
    option.yAxis = valueAxis(spec.y_name, { nameGap: 44 });
    option.dataZoom = [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' },
                       { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
                       { type: 'slider', xAxisIndex: 0, filterMode: 'none', bottom: 36, height: 18 },
                       { type: 'slider', yAxisIndex: 0, filterMode: 'none', right: 8, width: 18 }];
    option.toolbox = { right: 8, feature: { dataZoom: { filterMode: 'none' }, restore: {} } };
    option.tooltip.formatter = function (p) {
      var point = p.data;
      return tooltipBox('customer ' + ids[point[2]] + ' · ' + p.seriesName,
                        [spec.x_name + ' ' + fixed(point[0], 3) + ', ' + spec.y_name + ' ' + fixed(point[1], 3)].concat(runLines(spec.run)));
    };
    option.series = spec.groups.map(function (g, i) {
      // Not `large` nor progressive: 5,000 points draw at once on a canvas, and every point keeps its tooltip.
      return { name: g.name, type: 'scatter', data: g.points, symbolSize: 4, large: false, progressive: 0,
               itemStyle: { color: g.noise ? noiseColour : palette[i % palette.length], opacity: 0.8 } };
    });
    return option;
  }

  // Segment migration: nodes are segments at each snapshot plus new and churned customers.
  function sankey(spec) {
    var option = baseOption(spec);
    option.tooltip.formatter = function (p) {
      if (p.dataType === 'edge') {
        var link = p.data;
        return tooltipBox(spec.nodes[link.source].label + ' → ' + spec.nodes[link.target].label + ': ' + link.value + ' customers',
                          [fixed(100 * link.share, 1) + ' % of ' + spec.nodes[link.source].label]);
      }
      return tooltipBox(p.data.label + ': ' + p.value + ' customers', [p.data.column]);
    };
    option.series = [{
      type: 'sankey', top: 48, bottom: 16, left: 16, right: 220, nodeAlign: 'justify', layoutIterations: 0,
      emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', opacity: 0.4 },
      label: { formatter: function (p) { return p.data.label; } },
      data: spec.nodes.map(function (n, i) {
        return { name: String(i), label: n.label, column: n.column, depth: n.depth,
                 itemStyle: { color: n.colour || palette[i % palette.length] } };
      }),
      links: spec.links.map(function (l) {
        return { source: String(l.source), target: String(l.target), value: l.value, share: l.share };
      })
    }];
    return option;
  }

  // Example customers of each cluster of the highlighted run, as text.
  function fillMembers(table) {
    var spec = data.members;
    if (!table || !spec) return;
    spec.rows.forEach(function (row) {
      var tr = element('tr');
      tr.appendChild(element('td', row.cluster, 'text'));
      tr.appendChild(element('td', row.size));
      tr.appendChild(element('td', fixed(100 * row.share, 1) + ' %'));
      tr.appendChild(element('td', row.examples.map(function (r) { return ids[r]; }).join(', '), 'text ids'));
      table.appendChild(tr);
    });
  }

  var draw = { lines: lines, bars: bars, scatter: scatter, sankey: sankey };
  var charts = [];
  (data.charts || []).forEach(function (spec) {
    var node = document.getElementById(spec.id);
    if (!node) { window.cbReportError('no container for chart ' + spec.id); return; }
    try {
      var chart = echarts.init(node, null, { renderer: spec.kind === 'scatter' ? 'canvas' : 'svg' });
      chart.setOption(draw[spec.kind](spec));
      node.setAttribute('data-rendered', spec.kind);
      charts.push(chart);
    } catch (e) {
      window.cbReportError('chart ' + spec.id + ': ' + e.message);
    }
  });
  fillMembers(document.getElementById('cb-members'));
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute('data-charts-rendered', String(charts.length));

  // #selftest (the browser test): show each chart's first tooltip, so the
  // formatters run in a real browser and their text lands in the DOM.
  if (location.hash === '#selftest') {
    var shown = 0;
    charts.forEach(function (chart) {
      try {
        chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
        ++shown;
      } catch (e) {
        window.cbReportError('tooltip: ' + e.message);
      }
    });
    document.body.setAttribute('data-tooltips-shown', String(shown));
  }
})();
