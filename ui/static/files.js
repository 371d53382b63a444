// Parvis file pages. The folder page: uploads, new folders and deletions go straight to the DAV
// endpoint with the session cookie, so that files of any size stream; each upload shows its progress
// and can be cancelled; whole folders are uploaded by drag and drop or with the folder picker.
// The page of one file or folder: rename and move (DAV MOVE), delete, restore a version, create,
// copy and revoke share links (JSON API). The trash page: restore, empty (JSON API).
(function () {
  "use strict";

  // davPath escapes each segment of a path for a DAV URL.
  function davPath(path) { return path.split("/").map(encodeURIComponent).join("/"); }

  // call sends a request with the session cookie and the CSRF token; it resolves with the response
  // when the status says success and rejects with it otherwise.
  function call(method, url, csrf, headers, body) {
    var h = { "X-CSRF-Token": csrf };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    if (body !== undefined) h["Content-Type"] = "application/json";
    return fetch(url, { method: method, headers: h, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.ok ? r : Promise.reject(r); });
  }

  // shows a message in the page's alert line; pages work without it, but errors are then silent.
  function show(id, text) {
    var el = document.getElementById(id);
    if (!el) { alert(text); return; }
    el.textContent = text; el.hidden = false;
  }

  uploads(document.getElementById("upload"));
  item(document.getElementById("item"));
  trash(document.getElementById("trash"));

  function uploads(box) {
    if (!box) return;
    var dav = box.dataset.dav.replace(/\/$/, "");
    var queue = document.getElementById("queue");
    var overall = document.getElementById("overall");
    var running = [];
    var total = 0, sent = 0;

    function url(rel) { return dav + "/" + davPath(rel); }

    function request(method, rel, body, onprogress) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open(method, url(rel));
        if (onprogress) xhr.upload.onprogress = onprogress;
        xhr.onload = function () { (xhr.status < 300 || (method === "MKCOL" && xhr.status === 405)) ? resolve(xhr) : reject(xhr); };
        xhr.onerror = xhr.onabort = function () { reject(xhr); };
        xhr.send(body);
        running.push(xhr);
      });
    }

    function updateOverall() {
      overall.hidden = total === 0;
      overall.querySelector("progress").value = total ? Math.round(100 * sent / total) : 0;
      overall.querySelector("span").textContent = Math.round(sent / 1048576) + " / " + Math.round(total / 1048576) + " MiB";
    }

    var folders = {};
    function ensureFolders(rel) {
      var parts = rel.split("/").slice(0, -1), p = Promise.resolve(), acc = "";
      parts.forEach(function (seg) {
        acc = acc ? acc + "/" + seg : seg;
        var path = acc;
        if (!folders[path]) folders[path] = p.then(function () { return request("MKCOL", path); });
        p = folders[path];
      });
      return p;
    }

    function upload(file, rel) {
      var li = document.createElement("li");
      var bar = document.createElement("progress"); bar.max = 100; bar.value = 0;
      var label = document.createElement("span"); label.textContent = rel + " ";
      var cancel = document.createElement("button"); cancel.type = "button"; cancel.textContent = box.dataset.msgCancel;
      li.append(label, bar, cancel); queue.append(li);
      total += file.size; updateOverall();
      var done = 0, xhrRef = null;
      cancel.onclick = function () { if (xhrRef) xhrRef.abort(); };
      return ensureFolders(rel).then(function () {
        var p = request("PUT", rel, file, function (e) {
          sent += e.loaded - done; done = e.loaded; bar.value = Math.round(100 * e.loaded / (e.total || 1)); updateOverall();
        });
        xhrRef = running[running.length - 1];
        return p;
      }).then(function () {
        sent += file.size - done; bar.value = 100; label.textContent = rel + " — " + box.dataset.msgDone + " "; cancel.remove(); updateOverall();
        return true;
      }, function (xhr) {
        label.textContent = rel + " — " + why(xhr) + " "; cancel.remove(); li.classList.add("error");
        return false;
      });
    }

    // why says why an upload failed, in words: the group's quota (507), a file over the server's
    // size limit (413), otherwise a failure (the connection lost, the upload cancelled, …).
    function why(xhr) {
      if (xhr && xhr.status === 507) return box.dataset.msgQuota;
      if (xhr && xhr.status === 413) return box.dataset.msgTooBig;
      return box.dataset.msgFailed;
    }

    // uploadAll sends the files, then reloads the folder to show them; when some failed, the page
    // stays, with each file's outcome and a line saying that not everything was sent.
    function uploadAll(list) {
      list = withoutUnwantedReplacements(list);
      if (!list.length) return Promise.resolve();
      return Promise.all(list.map(function (f) { return upload(f.file, f.rel); })).then(function (ok) {
        if (ok.every(Boolean)) { location.reload(); return; }
        show("upload-status", box.dataset.msgSomeFailed);
      });
    }

    // withoutUnwantedReplacements asks before files replace those of the folder with the same name
    // (the replaced content stays in the file's history); declining leaves those out.
    function withoutUnwantedReplacements(list) {
      var existing = {};
      document.querySelectorAll("table.files button.delete[data-dir=false]").forEach(function (b) { existing[b.dataset.name] = true; });
      var clash = list.filter(function (f) { return f.rel.indexOf("/") < 0 && existing[f.rel]; });
      if (!clash.length) return list;
      var names = clash.map(function (f) { return f.rel; }).join("\n");
      if (confirm(box.dataset.msgReplace.replace("%d", clash.length) + "\n\n" + names)) return list;
      return list.filter(function (f) { return clash.indexOf(f) < 0; });
    }

    document.getElementById("pick-files").onchange = function (e) {
      uploadAll(Array.from(e.target.files).map(function (f) { return { file: f, rel: f.name }; }));
    };
    document.getElementById("pick-folder").onchange = function (e) {
      uploadAll(Array.from(e.target.files).map(function (f) { return { file: f, rel: f.webkitRelativePath || f.name }; }));
    };
    document.getElementById("cancel-all").onclick = function () { running.forEach(function (x) { x.abort(); }); };

    // Drag and drop, folders included (walked through the entries API).
    function walk(entry, prefix, out) {
      return new Promise(function (resolve) {
        if (entry.isFile) {
          entry.file(function (f) { out.push({ file: f, rel: prefix + f.name }); resolve(); }, resolve);
        } else if (entry.isDirectory) {
          var reader = entry.createReader(), all = [];
          (function next() {
            reader.readEntries(function (batch) {
              if (!batch.length) {
                Promise.all(all.map(function (c) { return walk(c, prefix + entry.name + "/", out); })).then(resolve);
              } else { all = all.concat(Array.from(batch)); next(); }
            }, resolve);
          })();
        } else resolve();
      });
    }
    document.addEventListener("dragover", function (e) { e.preventDefault(); box.classList.add("dragging"); });
    document.addEventListener("dragleave", function () { box.classList.remove("dragging"); });
    document.addEventListener("drop", function (e) {
      e.preventDefault(); box.classList.remove("dragging");
      var out = [], items = Array.from(e.dataTransfer.items || []);
      Promise.all(items.map(function (it) { var en = it.webkitGetAsEntry && it.webkitGetAsEntry(); return en ? walk(en, "", out) : null; }))
        .then(function () { uploadAll(out); });
    });

    document.getElementById("new-folder").onclick = function () {
      var name = prompt(box.dataset.msgFolderName);
      if (name) request("MKCOL", name).then(function () { location.reload(); }, function () { alert(box.dataset.msgFailed); });
    };
    Array.from(document.querySelectorAll("button.delete")).forEach(function (b) {
      b.onclick = function () {
        if (!confirm(box.dataset.msgConfirmDelete + " " + b.dataset.name)) return;
        request("DELETE", b.dataset.name).then(function () { location.reload(); }, function () { alert(box.dataset.msgFailed); });
      };
    });
  }

  function item(box) {
    if (!box) return;
    var d = box.dataset, api = "/api/groups/" + encodeURIComponent(d.slug);
    function fail(r) { show("item-status", r && (r.status === 412 || r.status === 409) ? d.msgExists : d.msgFailed); }
    var move = document.getElementById("move-form");
    if (move) move.addEventListener("submit", function (e) {
      e.preventDefault();
      var name = move.elements.name.value.trim(), dest = move.elements.dest.value;
      if (!name || name.indexOf("/") >= 0) { show("item-status", d.msgFailed); return; }
      var target = (dest === "/" ? "" : dest) + "/" + name;
      if (target === d.path || !confirm(d.msgConfirmMove + " " + target)) return;
      call("MOVE", d.dav, d.csrf, { "Destination": d.base.replace(/\/$/, "") + davPath(target), "Overwrite": "F" })
        .then(function () { location.href = d.files + encodeURIComponent(dest); }, fail);
    });
    var del = document.getElementById("item-delete");
    if (del) del.onclick = function () {
      if (!confirm(d.msgConfirmDelete + " " + d.path)) return;
      call("DELETE", d.dav, d.csrf).then(function () { location.href = d.parent; }, fail);
    };
    Array.from(document.querySelectorAll("button.version-restore")).forEach(function (b) {
      b.onclick = function () {
        if (!confirm(d.msgConfirmRestore)) return;
        call("POST", api + "/versions/" + b.dataset.id + "/restore?path=" + encodeURIComponent(d.path), d.csrf)
          .then(function () { location.reload(); }, fail);
      };
    });
    var share = document.getElementById("share-form");
    if (share) share.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = share.elements;
      call("POST", api + "/shares", d.csrf, {}, { path: d.path, kind: f.kind.value, password: f.password.value, expires: f.expires.value })
        .then(function () { location.reload(); }, fail);
    });
    Array.from(document.querySelectorAll("button.share-copy")).forEach(function (b) {
      b.onclick = function () {
        var input = document.getElementById(b.dataset.for);
        var done = function () { show("item-status", d.msgCopied); };
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
        else { input.select(); document.execCommand("copy"); done(); }
      };
    });
    Array.from(document.querySelectorAll("button.share-revoke")).forEach(function (b) {
      b.onclick = function () {
        if (!confirm(d.msgConfirmRevoke)) return;
        call("DELETE", api + "/shares/" + b.dataset.id, d.csrf).then(function () { location.reload(); }, fail);
      };
    });
  }

  function trash(box) {
    if (!box) return;
    var d = box.dataset;
    function fail(r) { show("trash-status", r && r.status === 409 ? d.msgExists : d.msgFailed); }
    Array.from(document.querySelectorAll("button.trash-restore")).forEach(function (b) {
      b.onclick = function () {
        call("POST", d.api + "/" + b.dataset.id + "/restore", d.csrf).then(function () { location.reload(); }, fail);
      };
    });
    var empty = document.getElementById("trash-empty");
    if (empty) empty.onclick = function () {
      if (!confirm(d.msgConfirmEmpty)) return;
      call("DELETE", d.api, d.csrf).then(function () { location.reload(); }, fail);
    };
  }
})();
