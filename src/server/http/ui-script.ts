/**
 * The web UI's script: hash routes for workflows (list, detail with history), task queues and
 * schedules, over the JSON API of ui-api.ts. Builds the DOM with text nodes only (nothing from the
 * server is ever parsed as HTML). Plain ES2020 with no template literals, kept in a raw string.
 *
 * @module
 */
export const PAGE_JS = String.raw`'use strict';
(function () {
  var main = document.getElementById('main');
  var nsSelect = document.getElementById('namespace');
  var state = { namespace: 'default', timer: undefined, route: '' };

  // ---- API -------------------------------------------------------------------------------------
  function rpc(method, body, service) {
    var headers = { 'content-type': 'application/json' };
    var key = sessionStorage.getItem('duraflow-api-key');
    if (key) headers.authorization = 'Bearer ' + key;
    return fetch('/api/v1/' + (service || 'workflow') + '/' + method, { method: 'POST', headers: headers, body: JSON.stringify(body || {}) })
      .then(function (r) {
        return r.json().then(function (data) {
          if (r.status === 401) {
            var entered = prompt('This server needs its API key:');
            if (entered) { sessionStorage.setItem('duraflow-api-key', entered); return rpc(method, body, service); }
          }
          if (!r.ok) throw new Error((data.code || r.status) + ': ' + (data.message || r.statusText));
          return data;
        });
      });
  }
  function ns(body) { body.namespace = state.namespace; return body; }

  // ---- payloads: json/plain shown as its value (as the CLI's shorthand) -------------------------
  function b64text(s) {
    try { return new TextDecoder().decode(Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); })); } catch (e) { return undefined; }
  }
  function isRecord(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function isPayload(v) {
    return isRecord(v) && isRecord(v.metadata) && typeof v.metadata.encoding === 'string' &&
      Object.keys(v).every(function (k) { return k === 'metadata' || k === 'data' || k === 'externalPayloads'; });
  }
  function payloadValue(p) {
    var encoding = b64text(p.metadata.encoding);
    if (encoding === 'binary/null') return null;
    if (encoding !== 'json/plain') return p;
    try { return JSON.parse(b64text(p.data || '') || ''); } catch (e) { return p; }
  }
  function shorthand(v) {
    if (Array.isArray(v)) return v.map(shorthand);
    if (!isRecord(v)) return v;
    if (isPayload(v)) return payloadValue(v);
    var keys = Object.keys(v);
    if (keys.length === 1 && Array.isArray(v.payloads) && v.payloads.every(isPayload)) return v.payloads.map(payloadValue);
    var out = {};
    keys.forEach(function (k) { out[k] = shorthand(v[k]); });
    return out;
  }

  // ---- DOM helpers -----------------------------------------------------------------------------
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'onclick' || k === 'onchange' || k === 'onsubmit') el[k] = attrs[k];
      else if (attrs[k] !== undefined) el.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function show() {
    main.textContent = '';
    for (var i = 0; i < arguments.length; i++) append(main, arguments[i]);
  }
  function link(href, text) { return h('a', { href: href }, text); }
  function wfHref(wid, rid) { return '#/namespaces/' + enc(state.namespace) + '/workflows/' + enc(wid) + (rid ? '/' + enc(rid) : ''); }
  function enc(s) { return encodeURIComponent(s); }
  function time(ts) { return ts ? new Date(ts).toLocaleString() : ''; }
  function enumName(v, prefix) { return typeof v === 'string' ? v.replace(prefix, '') : String(v === undefined ? '' : v); }
  function statusOf(v) { return enumName(v, 'WORKFLOW_EXECUTION_STATUS_'); }
  function badge(status) { return h('span', { class: 'status s-' + status }, status); }
  function table(columns, rows) {
    return h('table', {}, h('thead', {}, h('tr', {}, columns.map(function (c) { return h('th', {}, c); }))), h('tbody', {}, rows));
  }
  function card(fields) {
    return h('dl', { class: 'cards card' }, Object.keys(fields).filter(function (k) { return fields[k] !== undefined && fields[k] !== ''; })
      .map(function (k) { return h('div', {}, h('dt', {}, k), h('dd', {}, fields[k])); }));
  }
  function json(v) { return h('pre', { class: 'mono' }, JSON.stringify(shorthand(v), null, 2)); }
  function fail(error) { show(h('p', { class: 'error' }, String(error && error.message || error))); }
  function refreshEvery(ms, fn) {
    clearInterval(state.timer);
    state.timer = setInterval(function () { if (!document.hidden) fn(); }, ms);
  }
  function act(promise, then) {
    promise.then(then || route, function (e) { alert(e.message); });
  }

  // ---- workflows -------------------------------------------------------------------------------
  function workflowList(query) {
    var input = h('input', { type: 'search', value: query, placeholder: "Visibility query, e.g. ExecutionStatus = 'Running' AND WorkflowType = 'order'" });
    var form = h('form', { class: 'toolbar', onsubmit: function (e) {
      e.preventDefault();
      location.hash = '#/namespaces/' + enc(state.namespace) + '/workflows?query=' + enc(input.value);
    } }, input, h('button', { type: 'submit' }, 'Search'));
    var chips = h('div', { class: 'chips' });
    var body = h('tbody', {});
    var more = h('div', {});
    function load(token, replace) {
      return rpc('ListWorkflowExecutions', ns({ query: query, pageSize: 50, nextPageToken: token })).then(function (r) {
        if (replace) body.textContent = '';
        (r.executions || []).forEach(function (e) {
          var st = statusOf(e.status);
          append(body, h('tr', {}, h('td', {}, badge(st)), h('td', { class: 'mono' }, link(wfHref(e.execution.workflowId, e.execution.runId), e.execution.workflowId)),
            h('td', {}, e.type && e.type.name), h('td', {}, e.taskQueue ? link('#/namespaces/' + enc(state.namespace) + '/task-queues/' + enc(e.taskQueue), e.taskQueue) : ''),
            h('td', {}, time(e.startTime)), h('td', {}, time(e.closeTime))));
        });
        more.textContent = '';
        if (r.nextPageToken) append(more, h('button', { onclick: function () { load(r.nextPageToken, false); } }, 'More'));
        if (!body.firstChild) append(body, h('tr', {}, h('td', { colspan: '6', class: 'muted' }, 'No workflows match.')));
      });
    }
    function counts() {
      var grouped = query ? query + ' GROUP BY ExecutionStatus' : 'GROUP BY ExecutionStatus';
      return rpc('CountWorkflowExecutions', ns({ query: grouped })).then(function (r) {
        chips.textContent = '';
        append(chips, h('span', { class: 'muted' }, (r.count || 0) + ' workflows'));
        (r.groups || []).forEach(function (g) { append(chips, h('span', {}, badge(shorthand(g.groupValues)[0] + ' ' + g.count))); });
      }, function () { chips.textContent = ''; });
    }
    show(h('h1', {}, 'Workflows'), form, chips, table(['Status', 'Workflow ID', 'Type', 'Task queue', 'Started', 'Closed'], body), more);
    Promise.all([load(undefined, true), counts()]).catch(fail);
    refreshEvery(3000, function () { if (!more.firstChild) { load(undefined, true); counts(); } });
  }

  function eventName(type) {
    return enumName(type, 'EVENT_TYPE_').toLowerCase().replace(/(^|_)([a-z])/g, function (m, s, c) { return c.toUpperCase(); });
  }
  function eventAttributes(e) {
    var key = Object.keys(e).find(function (k) { return /EventAttributes$/.test(k); });
    return key ? e[key] : {};
  }
  function eventSummary(a) {
    var parts = [];
    ['activityType', 'workflowType'].forEach(function (k) { if (a[k]) parts.push(k + '=' + a[k].name); });
    ['activityId', 'timerId', 'signalName', 'markerName', 'identity', 'reason'].forEach(function (k) { if (a[k]) parts.push(k + '=' + a[k]); });
    ['input', 'result', 'details'].forEach(function (k) { if (a[k]) parts.push(k + '=' + JSON.stringify(shorthand(a[k]))); });
    if (a.failure) parts.push('failure=' + a.failure.message);
    return parts.join('  ');
  }
  function historyRows(events) {
    return events.map(function (e) {
      var a = eventAttributes(e);
      var detail = h('tr', { hidden: '' }, h('td', { colspan: '4' }, json(a)));
      var row = h('tr', { class: 'event', onclick: function () { detail.hidden = !detail.hidden; } },
        h('td', { class: 'mono' }, e.eventId), h('td', {}, time(e.eventTime)), h('td', {}, eventName(e.eventType)), h('td', { class: 'summary mono' }, eventSummary(a)));
      return [row, detail];
    });
  }
  function allEvents(execution) {
    var events = [];
    function page(token) {
      return rpc('GetWorkflowExecutionHistory', ns({ execution: execution, maximumPageSize: 1000, nextPageToken: token })).then(function (r) {
        events = events.concat((r.history && r.history.events) || []);
        return r.nextPageToken && events.length < 20000 ? page(r.nextPageToken) : events;
      });
    }
    return page(undefined);
  }

  function workflowDetail(wid, rid) {
    var execution = { workflowId: wid, runId: rid || '' };
    function render(d, events) {
      var info = d.workflowExecutionInfo || {};
      var st = statusOf(info.status);
      var running = st === 'RUNNING';
      var first = events[0] ? eventAttributes(events[0]) : {};
      var last = !running && events.length ? eventAttributes(events[events.length - 1]) : {};
      var tq = d.executionConfig && d.executionConfig.taskQueue && d.executionConfig.taskQueue.name;
      var runId = info.execution.runId;
      var buttons = h('div', { class: 'toolbar' },
        running && h('button', { onclick: function () { signal(runId); } }, 'Signal'),
        h('button', { onclick: function () { query(runId); } }, 'Query'),
        running && h('button', { onclick: function () { if (confirm('Request cancellation of ' + wid + '?')) act(rpc('RequestCancelWorkflowExecution', ns({ workflowExecution: { workflowId: wid, runId: runId }, reason: 'from the web UI' }))); } }, 'Cancel'),
        running && h('button', { class: 'danger', onclick: function () { var reason = prompt('Terminate ' + wid + ': reason', 'terminated from the web UI'); if (reason !== null) act(rpc('TerminateWorkflowExecution', ns({ workflowExecution: { workflowId: wid, runId: runId }, reason: reason }))); } }, 'Terminate'),
        h('button', { onclick: function () { resetTo(runId, events); } }, 'Reset'),
        h('button', { class: 'danger', onclick: function () { if (confirm('Delete ' + wid + ' and its history' + (running ? ' (it is terminated first)' : '') + '?')) act(rpc('DeleteWorkflowExecution', ns({ workflowExecution: { workflowId: wid, runId: runId } })), function () { location.hash = '#/namespaces/' + enc(state.namespace) + '/workflows'; }); } }, 'Delete'));
      var pending = (d.pendingActivities || []).map(function (p) {
        function operate(method, extra) {
          return function () { act(rpc(method, ns(Object.assign({ execution: { workflowId: wid, runId: runId }, id: p.activityId, identity: 'web UI' }, extra)))); };
        }
        var toggle = p.paused
          ? h('button', { onclick: operate('UnpauseActivity') }, 'Unpause')
          : h('button', { onclick: operate('PauseActivity', { reason: 'paused from the web UI' }) }, 'Pause');
        return h('tr', {}, h('td', { class: 'mono' }, p.activityId), h('td', {}, p.activityType && p.activityType.name), h('td', {}, enumName(p.state, 'PENDING_ACTIVITY_STATE_')),
          h('td', {}, p.attempt), h('td', { class: 'summary' }, p.lastFailure ? p.lastFailure.message : ''),
          h('td', {}, running && toggle, running && h('button', { onclick: operate('ResetActivity') }, 'Reset')));
      });
      var children = (d.pendingChildren || []).map(function (c) { return h('tr', {}, h('td', { class: 'mono' }, link(wfHref(c.workflowId, c.runId), c.workflowId)), h('td', {}, c.workflowTypeName)); });
      show(h('h1', {}, wid, ' ', badge(st)), buttons,
        card({ 'Run ID': runId, Type: info.type && info.type.name, 'Task queue': tq ? link('#/namespaces/' + enc(state.namespace) + '/task-queues/' + enc(tq), tq) : '',
          Started: time(info.startTime), Closed: time(info.closeTime), 'History events': info.historyLength,
          Parent: info.parentExecution ? link(wfHref(info.parentExecution.workflowId, info.parentExecution.runId), info.parentExecution.workflowId) : undefined }),
        h('h2', {}, 'Input'), json(first.input || []),
        !running && h('h2', {}, last.failure ? 'Failure' : 'Result'), !running && json(last.failure || last.result || last.newExecutionRunId || null),
        pending.length > 0 && [h('h2', {}, 'Pending activities'), table(['ID', 'Type', 'State', 'Attempt', 'Last failure', ''], pending)],
        children.length > 0 && [h('h2', {}, 'Pending children'), table(['Workflow ID', 'Type'], children)],
        h('h2', {}, 'History'), table(['ID', 'Time', 'Event', 'Details'], historyRows(events)),
        events.length >= 20000 && h('p', { class: 'muted' }, 'Showing the first 20,000 events.'));
      if (!running) clearInterval(state.timer);
    }
    var shown = '';
    function load() {
      // Re-read the history and redraw only when the workflow changed (keeps open events and the scroll position).
      return rpc('DescribeWorkflowExecution', ns({ execution: execution })).then(function (d) {
        var info = d.workflowExecutionInfo || {};
        var key = JSON.stringify([info.execution, info.status, info.historyLength, d.pendingActivities, d.pendingChildren]);
        if (key === shown) return;
        return allEvents({ workflowId: wid, runId: info.execution.runId }).then(function (events) { shown = key; render(d, events); });
      });
    }
    function resetTo(runId, events) {
      var ends = events.filter(function (e) { return /^EVENT_TYPE_WORKFLOW_TASK_(COMPLETED|FAILED|TIMED_OUT)$/.test(e.eventType); });
      if (!ends.length) { alert('No finished workflow task to reset to.'); return; }
      var eventId = prompt('Reset to the workflow task that ended at event (the history below shows them):', ends[ends.length - 1].eventId);
      if (!eventId) return;
      var reason = prompt('Reason', 'reset from the web UI');
      if (reason === null) return;
      act(rpc('ResetWorkflowExecution', ns({ workflowExecution: { workflowId: wid, runId: runId }, workflowTaskFinishEventId: eventId, reason: reason, requestId: String(Date.now()) + Math.random() })), function (r) {
        location.hash = wfHref(wid, r.runId);
      });
    }
    function signal(runId) {
      var name = prompt('Signal name');
      if (!name) return;
      var input = prompt('Arguments as a JSON array', '[]');
      if (input === null) return;
      act(rpc('SignalWorkflowExecution', ns({ workflowExecution: { workflowId: wid, runId: runId }, signalName: name, input: payloads(input), identity: 'web UI' })));
    }
    function query(runId) {
      var name = prompt('Query type', '__stack_trace');
      if (!name) return;
      var input = prompt('Arguments as a JSON array', '[]');
      if (input === null) return;
      act(rpc('QueryWorkflow', ns({ execution: { workflowId: wid, runId: runId }, query: { queryType: name, queryArgs: payloads(input) } })), function (r) {
        alert(r.queryRejected ? 'Rejected: ' + JSON.stringify(r.queryRejected) : JSON.stringify(shorthand(r.queryResult || null), null, 2));
      });
    }
    load().catch(fail);
    refreshEvery(2000, load);
  }
  function payloads(text) {
    var values = JSON.parse(text);
    if (!Array.isArray(values)) values = [values];
    return { payloads: values.map(function (v) {
      return { metadata: { encoding: btoa('json/plain') }, data: btoa(String.fromCharCode.apply(null, new TextEncoder().encode(JSON.stringify(v)))) };
    }) };
  }

  // ---- task queues -----------------------------------------------------------------------------
  function taskQueue(name) {
    function load() {
      var types = ['TASK_QUEUE_TYPE_WORKFLOW', 'TASK_QUEUE_TYPE_ACTIVITY'];
      return Promise.all(types.map(function (t) { return rpc('DescribeTaskQueue', ns({ taskQueue: { name: name }, taskQueueType: t, reportStats: true })); })).then(function (rs) {
        var pollers = [];
        var stats = [];
        rs.forEach(function (r, i) {
          var type = enumName(types[i], 'TASK_QUEUE_TYPE_').toLowerCase();
          (r.pollers || []).forEach(function (p) { pollers.push(h('tr', {}, h('td', {}, type), h('td', { class: 'mono' }, p.identity), h('td', {}, time(p.lastAccessTime)), h('td', {}, p.ratePerSecond))); });
          var s = r.stats || {};
          stats.push(h('tr', {}, h('td', {}, type), h('td', {}, s.approximateBacklogCount || 0), h('td', {}, s.approximateBacklogAge || '0s'),
            h('td', {}, (s.tasksAddRate || 0).toFixed(2)), h('td', {}, (s.tasksDispatchRate || 0).toFixed(2))));
        });
        if (!pollers.length) pollers.push(h('tr', {}, h('td', { colspan: '4', class: 'muted' }, 'No worker polled in the last 5 minutes.')));
        show(h('h1', {}, 'Task queue ', name), h('h2', {}, 'Pollers'), table(['Type', 'Identity', 'Last poll', 'Rate/s'], pollers),
          h('h2', {}, 'Tasks'), table(['Type', 'Backlog', 'Oldest', 'Added/s', 'Dispatched/s'], stats));
      });
    }
    load().catch(fail);
    refreshEvery(3000, load);
  }

  // ---- schedules -------------------------------------------------------------------------------
  function scheduleList() {
    return rpc('ListSchedules', ns({ maximumPageSize: 1000 })).then(function (r) {
      var rows = (r.schedules || []).map(function (s) {
        var info = s.info || {};
        return h('tr', {}, h('td', { class: 'mono' }, link('#/namespaces/' + enc(state.namespace) + '/schedules/' + enc(s.scheduleId), s.scheduleId)),
          h('td', {}, info.workflowType && info.workflowType.name), h('td', {}, info.paused ? 'paused' : 'active'),
          h('td', {}, time((info.futureActionTimes || [])[0])), h('td', { class: 'summary' }, info.notes || ''));
      });
      if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No schedules.')));
      show(h('h1', {}, 'Schedules'), table(['Schedule ID', 'Workflow type', 'State', 'Next run', 'Notes'], rows));
    }).catch(fail);
  }
  function scheduleDetail(id) {
    function patch(p) { return rpc('PatchSchedule', ns({ scheduleId: id, patch: p, identity: 'web UI' })); }
    return rpc('DescribeSchedule', ns({ scheduleId: id })).then(function (d) {
      var paused = d.schedule && d.schedule.state && d.schedule.state.paused;
      var recent = ((d.info && d.info.recentActions) || []).map(function (a) {
        var w = a.startWorkflowResult || {};
        return h('tr', {}, h('td', {}, time(a.scheduleTime)), h('td', {}, time(a.actualTime)), h('td', { class: 'mono' }, w.workflowId ? link(wfHref(w.workflowId, w.runId), w.workflowId) : ''));
      });
      show(h('h1', {}, 'Schedule ', id, ' ', badge(paused ? 'PAUSED' : 'ACTIVE')),
        h('div', { class: 'toolbar' },
          h('button', { onclick: function () { act(patch(paused ? { unpause: 'unpaused from the web UI' } : { pause: 'paused from the web UI' })); } }, paused ? 'Unpause' : 'Pause'),
          h('button', { onclick: function () { act(patch({ triggerImmediately: {} })); } }, 'Trigger now'),
          h('button', { class: 'danger', onclick: function () { if (confirm('Delete schedule ' + id + '?')) act(rpc('DeleteSchedule', ns({ scheduleId: id })), function () { location.hash = '#/namespaces/' + enc(state.namespace) + '/schedules'; }); } }, 'Delete')),
        h('h2', {}, 'Recent actions'), table(['Scheduled for', 'Started at', 'Workflow'], recent),
        h('h2', {}, 'Upcoming'), h('p', {}, ((d.info && d.info.futureActionTimes) || []).map(time).join(' · ') || 'none'),
        h('h2', {}, 'Definition'), json(d.schedule));
    }).catch(fail);
  }

  // ---- routing ---------------------------------------------------------------------------------
  function route() {
    clearInterval(state.timer);
    var hash = location.hash.replace(/^#/, '') || '/';
    var q = hash.indexOf('?');
    var path = (q < 0 ? hash : hash.slice(0, q)).split('/').filter(Boolean).map(decodeURIComponent);
    var params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
    if (path[0] === 'namespaces' && path[1]) setNamespace(path[1]);
    var base = '#/namespaces/' + enc(state.namespace);
    document.getElementById('nav-workflows').href = base + '/workflows';
    document.getElementById('nav-schedules').href = base + '/schedules';
    document.getElementById('nav-workflows').className = path[2] !== 'schedules' ? 'active' : '';
    document.getElementById('nav-schedules').className = path[2] === 'schedules' ? 'active' : '';
    if (path[2] === 'workflows' && path[3]) return workflowDetail(path[3], path[4]);
    if (path[2] === 'task-queues' && path[3]) return taskQueue(path[3]);
    if (path[2] === 'schedules' && path[3]) return scheduleDetail(path[3]);
    if (path[2] === 'schedules') return scheduleList();
    return workflowList(params.get('query') || '');
  }
  function setNamespace(name) {
    state.namespace = name;
    if (nsSelect.value !== name) nsSelect.value = name;
  }
  nsSelect.onchange = function () { location.hash = '#/namespaces/' + enc(nsSelect.value) + '/workflows'; };
  window.addEventListener('hashchange', route);

  Promise.all([rpc('ListNamespaces', {}), rpc('GetSystemInfo', {})]).then(function (r) {
    (r[0].namespaces || []).forEach(function (n) { append(nsSelect, h('option', { value: n.namespaceInfo.name }, n.namespaceInfo.name)); });
    document.getElementById('server').textContent = 'server ' + (r[1].serverVersion || '');
    nsSelect.value = state.namespace;
    route();
  }).catch(fail);
})();
`;
