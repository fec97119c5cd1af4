/*
 * ReLU 위키: Korean queries for Material's search worker.
 *
 * docsite/overrides/main.html points Material's worker URL (its application config) here, with
 * Material's own worker in ?material=, the index in ?index= and a channel name in ?channel=.
 * This worker loads Material's, unchanged, and sits between it and the page:
 *
 *  - index: Material's bundle fetches search/search_index.json at page load and hands it over
 *    (SETUP); that file holds only the configuration. The index itself (?index=, written by
 *    docsite/relu_docsite/search.py) is fetched when the page says "load" on the channel: when
 *    the reader first points at, focuses or opens the search box. Until then Material waits for
 *    READY and keeps the last query, as it does while any index loads.
 *  - query: each word loses a particle or copula (역전파를 -> 역전파; the list is the index's
 *    config.relu.particles); a word the pages write spaced is also searched in parts
 *    (활성화함수 -> 활성화 함수), split against the words of the index; two spaced words are also
 *    searched joined (정규 분포 -> 정규분포).
 *  - results: entries matching every word come first; a query that is a form of a glossary term
 *    (렐루, 리키 렐루, dying ReLU: config.relu.keys) has the term's home first. What matched
 *    inside a compound (전파 in 역전파) and the page's own form of a synonym (ReLU for 렐루) are
 *    marked in the result list and passed on in the link's ?h=, so that Material's
 *    search.highlight marks them on the page after the click.
 *
 * Material internals relied on (listed, with why, in docsite/relu_docsite/internals.py and
 * checked by tests/test_internals.py): the worker message protocol (0 SETUP {config, docs,
 * options}, 1 READY, 2 QUERY, 3 RESULT {items: [[{location, title, text, score, terms, ...}]]}),
 * its worker's one "message" listener and global postMessage, self.lunr and lunr.Builder#build.
 */
(function () {
  "use strict"
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
  var HANGUL = /^[\uac00-\ud7a3]+$/
  var SYNTAX = /[+\-*~^:"]/
  var JOIN_BOOST = 10000
  var MARKED_GROUPS = 20  // Material shows 10 result groups, then more as the reader scrolls
  var params = new URL(self.location.href).searchParams

  /* Material's worker, loaded unchanged; its message listener is kept for us to call. */
  var materialListeners = [], addListener = self.addEventListener, post = self.postMessage
  self.addEventListener = function (type, fn, options) {
    if (type === "message") materialListeners.push(fn)
    else addListener.call(self, type, fn, options)
  }
  importScripts(params.get("material"))
  self.addEventListener = addListener

  var index = null, words = null, current = null, separator = /\s+/
  var relu = { keys: {}, terms: [], particles: [] }, docs = {}
  var build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    return (index = build.apply(this, arguments))
  }
  /* lunr 2.3.9 merges equal nodes of the index's token set by a key of each edge's label and
     child id run together: with digits as labels two different nodes can share a key ("2" + id
     51 = "25" + id 1), so the set holds words no page has (0.672 and 0.0625 made "0.6725") and a
     query that reaches one fails as a whole ("Invalid query", no result for "max(0, x)"). The
     same key, with each id ended by a comma. */
  lunr.TokenSet.prototype.toString = function () {
    if (this._str) return this._str
    var str = this.final ? "1" : "0", labels = Object.keys(this.edges).sort()
    for (var i = 0; i < labels.length; i++) str += labels[i] + this.edges[labels[i]].id + ","
    return str
  }

  /* ---- loading the index when the page asks for it ---- */

  var setup = null, wanted = true, loading = false
  if (params.get("channel") && typeof BroadcastChannel !== "undefined") {
    wanted = false
    var channel = new BroadcastChannel(params.get("channel"))
    channel.onmessage = function (ev) {
      if (ev.data === "load") {
        wanted = true
        channel.close()
        load()
      }
    }
    channel.postMessage("hello")  // the page may have asked before this worker listened
  }
  function load() {
    if (!wanted || !setup || loading) return
    loading = true
    fetch(params.get("index"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url)
        return response.json()
      })
      .then(function (data) {
        relu = data.config.relu || relu
        separator = new RegExp(data.config.separator)
        data.docs.forEach(function (doc) { docs[doc.location] = doc })
        deliver({ type: SETUP, data: { config: data.config, docs: data.docs, options: setup.options } })
      }, function (err) {
        console.warn("Search index not loaded:", err)
        deliver({ type: SETUP, data: setup })
      })
  }

  /* ---- the query ---- */

  /* The index's words (not the *_parts suffixes), sorted: shown[] those of title and text,
     all[] with the aliases too. Built once, before the worker reports that the index is ready. */
  function vocabulary() {
    if (words || !index) return words
    var inv = index.invertedIndex, shown = [], all = []
    for (var term in inv) {
      var p = inv[term], seen = Object.keys(p.title || {}).length || Object.keys(p.text || {}).length
      if (seen) shown.push(term)
      if (seen || Object.keys(p.aliases || {}).length) all.push(term)
    }
    return (words = { shown: shown.sort(), all: all.sort() })
  }
  function find(list, word) {
    var lo = 0, hi = list.length
    while (lo < hi) {
      var mid = (lo + hi) >> 1
      if (list[mid] < word) lo = mid + 1; else hi = mid
    }
    return lo
  }
  /* word is a word the pages show */
  function has(word) {
    var v = vocabulary()
    return !!v && v.shown[find(v.shown, word)] === word
  }
  /* some word of the index starts with word */
  function starts(word) {
    var v = vocabulary(), w = v && v.all[find(v.all, word)]
    return !v || (!!w && w.slice(0, word.length) === word)
  }

  function stem(word) {
    var particles = relu.particles
    for (var i = 0; i < particles.length; i++) {
      var p = particles[i]
      if (word.length > p.length && word.slice(-p.length) === p) {
        var rest = word.slice(0, -p.length)
        if (HANGUL.test(rest) && rest.length < 2) continue
        return rest
      }
    }
    return word
  }

  /* Fewest parts, each a word of the index of 2+ syllables: 확률적경사하강법 -> 확률적 경사 하강법. */
  function split(word) {
    var n = word.length, best = [[]]
    for (var i = 1; i <= n; i++) {
      best[i] = null
      for (var j = Math.max(i === n ? 1 : 0, i - 8); j <= i - 2; j++) {
        var part = word.slice(j, i)
        if (best[j] && (has(part) || has(stem(part))) && (!best[i] || best[j].length + 1 < best[i].length))
          best[i] = best[j].concat([part])
      }
    }
    return best[n] && best[n].length > 1 ? best[n] : null
  }

  function rewrite(query) {
    var raw = query.normalize("NFC").trim()
    var info = { query: query, user: [], extra: [], parts: {}, home: null, shown: [], topic: null, joins: [] }
    if (!raw || SYNTAX.test(raw.replace(/(\S)[-.](?=\S)/g, "$1 "))) return info
    // The words Material searches for: the query split at white space and at the index's
    // separator (nn.ReLU -> nn ReLU, max(0, x) -> max 0 x), each without its particle.
    var typed = []
    raw.split(/\s+/).forEach(function (w) {
      w.split(separator).forEach(function (t) { if (t) typed.push(stem(t)) })
    })
    var ws = typed.map(function (w) { return w.toLowerCase() })
    var extra = [], joins = []
    ws.forEach(function (w, i) {
      var parts = HANGUL.test(w) && w.length >= 3 ? split(w) : null
      // A word no page has, not even inside a word (야코비안): its longest known beginning.
      for (var k = w.length - 1; !parts && HANGUL.test(w) && k >= 2 && !starts(w); k--)
        if (starts(w.slice(0, k))) parts = [w.slice(0, k)]
      if (parts) {
        extra.push.apply(extra, parts)
        info.parts[w] = parts
      }
      var next = ws[i + 1]
      if (next && HANGUL.test(w) && HANGUL.test(next)) {
        joins.push(w + next)
        info.joins.push([w, next])
      }
    })
    // The glossary's best bet: the whole query is a form of a term (렐루, 리키 렐루, dying ReLU).
    var key = glue(ws.join(""))
    if (own(relu.keys, key)) info.home = relu.terms[relu.keys[key]][0]
    // Terms the query names, longest first from the left (리키렐루 and 기울기 in "리키렐루 기울기"):
    // the first is the topic (a Korean noun phrase puts the modifier first, its head last); the
    // forms their pages show are marked (Leaky ReLU for 리키렐루). Material's search.highlight marks
    // each word of ?h= anywhere on the page, so forms with a short Latin word (He 초기화) are left out.
    for (var a = 0; a < ws.length; a++)
      for (var b = ws.length; b > a; b--) {
        var k = glue(ws.slice(a, b).join(""))
        if (!own(relu.keys, k)) continue
        var term = relu.terms[relu.keys[k]]
        info.topic = info.topic || term[0].split("#")[0]
        term[1].forEach(function (s) {
          if (!/(^|\s)[a-z]{1,2}(\s|$)/i.test(s) && info.shown.indexOf(s) < 0) info.shown.push(s)
        })
        a = b - 1
        break
      }
    info.user = ws
    extra = extra.concat(joins)
    info.extra = extra.filter(function (e, i) { return ws.indexOf(e) < 0 && extra.indexOf(e) === i })
    // A joined form is what the reader meant (정규 분포 = 정규분포): it outweighs each word's title matches.
    info.query = typed.concat(info.extra.map(function (e) {
      return joins.indexOf(e) < 0 ? e : e + "*^" + JOIN_BOOST
    })).join(" ")
    return info
  }

  function own(o, k) {
    return Object.prototype.hasOwnProperty.call(o, k)
  }
  function glue(s) {
    return s.toLowerCase().replace(/[^0-9a-z\uac00-\ud7a3]/g, "")
  }
  function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  }
  function escapeHTML(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
  }
  /* Wrap every match of re in <mark>, in the text between tags, outside marks. */
  function mark(html, re) {
    var depth = 0
    return html.split(/(<[^>]*>)/).map(function (piece) {
      if (piece.charAt(0) === "<") {
        if (/^<mark\b/i.test(piece)) depth++
        else if (/^<\/mark>/i.test(piece)) depth--
        return piece
      }
      return depth > 0 ? piece : piece.replace(re, "<mark>$&</mark>")
    }).join("")
  }

  /* ---- the results ---- */

  /* Rank: words of the query matched (a page's title counts for its sections), then matched in
     a heading, the page's title or the aliases, then on the topic's page, then lunr's score. */
  function rank(item, info) {
    var strong = [item.title, item.page, item.aliases, item.title_parts].join(" ").toLowerCase()
    var r = [0, 0, info.topic === item.location.split("#")[0] ? 1 : 0, item.score], found = {}, firm = {}
    info.user.forEach(function (w) {
      var parts = info.parts[w] || [w]
      if (!item.terms[w] && !parts.every(function (p) { return item.terms[p] })) return
      found[w] = true
      firm[w] = strong.indexOf(w) >= 0 || parts.every(function (p) { return strong.indexOf(p) >= 0 })
    })
    // Two words found as one (정규 분포 in 정규분포) are found as the reader meant them.
    info.joins.forEach(function (j) {
      if (item.terms[j[0] + j[1]]) found[j[0]] = found[j[1]] = firm[j[0]] = firm[j[1]] = true
    })
    info.user.forEach(function (w) {
      r[0] += found[w] ? 1 : 0
      r[1] += firm[w] ? 1 : 0
    })
    return r
  }
  function compare(a, b) {
    for (var i = 0; i < 4; i++)
      if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i]
    return 0
  }
  /* An index entry as Material's results carry it, for a best bet lunr did not return. */
  function item(location, score) {
    var doc = docs[location]
    if (!doc) return null
    var copy = {}
    for (var key in doc) copy[key] = doc[key]
    copy.score = score
    copy.terms = {}
    return copy
  }
  /* The best bet's group goes first, its entry first in the group (added if lunr missed it). */
  function putFirst(groups, home) {
    var top = groups.length ? groups[0][0].score : 1, page = home.split("#")[0]
    for (var g = 0; g < groups.length; g++)
      if (groups[g][0].location.split("#")[0] === page) break
    var group = g < groups.length ? groups.splice(g, 1)[0] : []
    var i = group.findIndex(function (it) { return it.location === home })
    var entry = i >= 0 ? group.splice(i, 1)[0] : item(home, 0)
    if (!entry) return
    entry.score = Math.max(top, entry.score) + 1
    group.unshift(entry)
    if (!group.some(function (it) { return it.location === page })) {
      var parent = item(page, 0)
      if (parent) group.push(parent)
    }
    groups.unshift(group)
  }

  function decorate(result, info) {
    var groups = result.items, extra = {}
    info.extra.forEach(function (e) { extra[e] = true })
    groups.forEach(function (group) {
      group.forEach(function (item) { item.rank = rank(item, info) })
      group.sort(compare)
    })
    groups.sort(function (a, b) { return compare(a[0], b[0]) })
    if (info.home) putFirst(groups, info.home)
    groups.forEach(function (group, g) {
      // The page's own entry, added by Material to head a group of sections, matched nothing:
      // it links with the group's words, so the page is highlighted from its top too.
      var union = {}
      group.forEach(function (item) { for (var t in item.terms) union[t] = union[t] || item.terms[t] })
      group.forEach(function (item) {
        if (!Object.keys(item.terms).length) item.terms = union
        delete item.rank; delete item.page; delete item.aliases; delete item.title_parts; delete item.text_parts
        var terms = {}, hits = []
        for (var t in item.terms) {
          if (item.terms[t]) { terms[t] = true; hits.push(t) }
          else if (!extra[t]) terms[t] = false
        }
        // A word searched in parts is not missing when its parts were found.
        for (var w in info.parts)
          if (terms[w] === false && info.parts[w].every(function (p) { return terms[p] })) delete terms[w]
        info.shown.forEach(function (s) { terms[s.toLowerCase()] = true; hits.push(s) })
        item.terms = terms
        if (!hits.length || g >= MARKED_GROUPS) return
        var re = new RegExp(hits.sort(function (a, b) { return b.length - a.length })
          .map(function (h) { return escape(escapeHTML(h)) }).join("|"), "gi")
        item.title = mark(item.title, re)
        if (item.text) item.text = mark(item.text, re)
      })
    })
    result.relu = { query: info.query }  // what Material searched for: read by the tests
    return result
  }

  /* ---- between Material's worker and the page ---- */

  var warming = false
  self.postMessage = function (message) {
    if (message && message.type === RESULT && current) {
      var t = performance.now()
      message.data = decorate(message.data, current)
      // [taking the query apart, Material's search, ranking and marking], in ms: read by scripts/search_eval.py
      message.data.relu.ms = [current.tr - current.t, t - current.tr, performance.now() - t]
    }
    if (message && message.type === RESULT && warming) {
      warming = false
      return
    }
    post.apply(self, arguments)
    if (message && message.type === READY) {
      // One search nobody sees, right away: the code of a search is compiled now, not at the
      // reader's first keystroke.
      vocabulary()
      warming = true
      receive({ data: { type: QUERY, data: "활성화함수 relu" } })
    }
  }
  function deliver(message) {
    var event = { data: message }
    materialListeners.forEach(function (fn) { fn(event) })
  }
  function receive(ev) {
    var message = ev.data
    if (message && message.type === SETUP) {
      setup = message.data
      return load()
    }
    if (message && message.type === QUERY) {
      var t0 = performance.now()
      current = rewrite(String(message.data))
      current.t = t0
      current.tr = performance.now()
      message = { type: QUERY, data: current.query }
    }
    deliver(message)
  }
  addListener.call(self, "message", receive)
})()
