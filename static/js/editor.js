// The agreement editor: progressive enhancement of every <textarea data-editor="squire">.
//
// Without JavaScript the textarea is the editor (plain text or HTML; the server cleans it).
// With JavaScript a toolbar and an editing surface (Squire, copied from npm to static/vendor/squire)
// take its place; the HTML is written back into the textarea on every change and on submit, so the
// form posts exactly what a textarea would. The formats offered are those the server keeps
// (aftaler/sanitize.py): paragraphs, headings h2-h3, bold, italic, underline, lists, quotes, links.
(function () {
  "use strict";
  if (typeof window.Squire !== "function" || !window.HTMLTemplateElement) {
    return;
  }
  var script = document.currentScript;
  var IKONER = script && script.dataset.ikoner;

  // --- cleaning pasted and loaded HTML (the server cleans again; this keeps the surface tidy and inert) ---
  // The allow-list is the server's (aftaler/sanitize.py), passed to the page by {% editor_regler %}.
  var reglerElement = document.getElementById("editor-regler");
  if (!reglerElement) {
    return;
  }
  var REGLER = JSON.parse(reglerElement.textContent);
  var TAGS = {};
  REGLER.tags.forEach(function (tag) {
    TAGS[tag] = 1;
  });
  var OMDOEB = { H1: "H2", H5: "H4", H6: "H4", DIV: "P" };
  var FJERN_MED_INDHOLD = {
    SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, NOSCRIPT: 1, SVG: 1, MATH: 1,
    HEAD: 1, TITLE: 1, META: 1, LINK: 1, IMG: 1, VIDEO: 1, AUDIO: 1, CANVAS: 1, FORM: 1, INPUT: 1,
    BUTTON: 1, SELECT: 1, TEXTAREA: 1
  };
  var ATTRIBUTTER = REGLER.attributter;
  var SIKKER_URL = new RegExp("^(" + REGLER.skemaer.join("|") + "):", "i");

  function rensNode(foraelder) {
    Array.prototype.slice.call(foraelder.childNodes).forEach(function (node) {
      if (node.nodeType === 3) {
        return;
      }
      if (node.nodeType !== 1) {
        node.remove();
        return;
      }
      var tag = node.nodeName.toUpperCase();
      if (FJERN_MED_INDHOLD[tag]) {
        node.remove();
        return;
      }
      rensNode(node);
      if (OMDOEB[tag]) {
        var ny = document.createElement(OMDOEB[tag]);
        while (node.firstChild) {
          ny.appendChild(node.firstChild);
        }
        node.replaceWith(ny);
        return;
      }
      if (!TAGS[tag]) {
        node.replaceWith.apply(node, Array.prototype.slice.call(node.childNodes));
        return;
      }
      var tilladte = ATTRIBUTTER[tag] || [];
      Array.prototype.slice.call(node.attributes).forEach(function (attr) {
        if (tilladte.indexOf(attr.name) === -1) {
          node.removeAttribute(attr.name);
        }
      });
      if (tag === "A" && !SIKKER_URL.test((node.getAttribute("href") || "").trim())) {
        node.removeAttribute("href");
      }
    });
  }

  // Parsed in an inert <template>: nothing in it runs or loads while it is cleaned.
  function rens(html) {
    var skabelon = document.createElement("template");
    skabelon.innerHTML = html || "";
    rensNode(skabelon.content);
    return document.importNode(skabelon.content, true);
  }

  // --- blocks: paragraph and headings ---
  function saetBlok(editor, tag) {
    editor.modifyBlocks(function (fragment) {
      Array.prototype.slice.call(fragment.querySelectorAll("p, div, h1, h2, h3, h4, h5, h6")).forEach(function (blok) {
        if (blok.nodeName === tag || blok.querySelector("p, div, h1, h2, h3, h4, h5, h6, ul, ol, table")) {
          return;
        }
        var ny = document.createElement(tag);
        while (blok.firstChild) {
          ny.appendChild(blok.firstChild);
        }
        blok.replaceWith(ny);
      });
      return fragment;
    });
    editor.focus();
  }

  function iSti(sti, tag) {
    return new RegExp("(^|>)" + tag + "(>|$|[.#\\[])").test(sti);
  }

  function lavLink(editor) {
    var adresse = window.prompt("Linkets adresse (https://…, http://… eller mailto:…)", "https://");
    if (adresse === null) {
      return;
    }
    adresse = adresse.trim();
    if (!SIKKER_URL.test(adresse) || adresse === "https://") {
      window.alert("Et link skal begynde med https://, http:// eller mailto:.");
      return;
    }
    editor.makeLink(adresse);
    editor.focus();
  }

  // label: the accessible name (Danish); tekst: visible text instead of an icon.
  var KNAPPER = [
    { label: "Brødtekst", tekst: "Brødtekst", blok: "P" },
    { label: "Overskrift", tekst: "Overskrift", blok: "H2" },
    { label: "Underoverskrift", tekst: "Underoverskrift", blok: "H3" },
    null,
    { label: "Fed", ikon: "format-bold", format: "B", til: "bold", fra: "removeBold" },
    { label: "Kursiv", ikon: "format-italic", format: "I", til: "italic", fra: "removeItalic" },
    { label: "Understreget", ikon: "format-underlined", format: "U", til: "underline", fra: "removeUnderline" },
    null,
    { label: "Punktopstilling", ikon: "format-list-bulleted", liste: "UL", til: "makeUnorderedList" },
    { label: "Nummereret liste", ikon: "format-list-numbered", liste: "OL", til: "makeOrderedList" },
    { label: "Citat", ikon: "format-indent-increase", citat: true },
    { label: "Indsæt link", ikon: "link", link: true },
    { label: "Fjern formatering", ikon: "format-clear", handling: "removeAllFormatting" },
    null,
    { label: "Fortryd", tekst: "Fortryd", handling: "undo", fortryd: true },
    { label: "Gentag", tekst: "Gentag", handling: "redo", gentag: true }
  ];

  function ikon(navn) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon-svg");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("aria-hidden", "true");
    var brug = document.createElementNS(ns, "use");
    brug.setAttribute("href", IKONER + "#" + navn);
    svg.appendChild(brug);
    return svg;
  }

  function byg(textarea) {
    var label = document.getElementById(textarea.id + "_label");
    var form = textarea.form;

    var ramme = document.createElement("div");
    ramme.className = "editor";

    var linje = document.createElement("div");
    linje.className = "editor-vaerktoejslinje";
    linje.setAttribute("role", "toolbar");
    linje.setAttribute("aria-label", "Formatering af " + (label ? label.textContent.trim().toLowerCase() : "teksten"));
    linje.setAttribute("aria-controls", textarea.id + "_flade");

    var flade = document.createElement("div");
    flade.id = textarea.id + "_flade";
    flade.className = "form-input editor-flade";
    flade.setAttribute("role", "textbox");
    flade.setAttribute("aria-multiline", "true");
    if (label) {
      flade.setAttribute("aria-labelledby", label.id);
    }
    ["aria-describedby", "aria-invalid"].forEach(function (navn) {
      if (textarea.hasAttribute(navn)) {
        flade.setAttribute(navn, textarea.getAttribute(navn));
      }
    });

    ramme.appendChild(linje);
    ramme.appendChild(flade);
    textarea.parentNode.insertBefore(ramme, textarea);

    var editor = new window.Squire(flade, { blockTag: "P", sanitizeToDOMFragment: rens });
    // Formats the server would strip again are not offered by the keyboard either.
    ["Ctrl-", "Meta-"].forEach(function (mod) {
      ["Shift-7", "Shift-5", "Shift-6", "d"].forEach(function (taste) {
        editor.setKeyHandler(mod + taste, null);
      });
    });
    editor.setHTML(textarea.value);

    function skrivTilbage() {
      if (!textarea.hidden) {
        return; // the HTML view is showing: the textarea itself holds the text
      }
      textarea.value = editor.getHTML();
    }

    var knapper = [];
    KNAPPER.forEach(function (def) {
      if (def === null) {
        var skille = document.createElement("span");
        skille.className = "editor-skille";
        skille.setAttribute("aria-hidden", "true");
        linje.appendChild(skille);
        return;
      }
      var knap = document.createElement("button");
      knap.type = "button";
      knap.className = "editor-knap";
      knap.tabIndex = knapper.length === 0 ? 0 : -1;
      if (def.ikon) {
        knap.setAttribute("aria-label", def.label);
        knap.title = def.label;
        knap.appendChild(ikon(def.ikon));
      } else {
        knap.textContent = def.tekst;
      }
      var skifter = def.blok || def.format || def.liste || def.citat;
      if (skifter) {
        knap.setAttribute("aria-pressed", "false");
      }
      knap.addEventListener("mousedown", function (e) {
        e.preventDefault(); // keep the selection in the editing surface
      });
      knap.addEventListener("click", function () {
        var trykket = knap.getAttribute("aria-pressed") === "true";
        if (knap.getAttribute("aria-disabled") === "true") {
          return;
        }
        if (def.blok) {
          saetBlok(editor, def.blok);
        } else if (def.format) {
          editor[trykket ? def.fra : def.til]();
        } else if (def.liste) {
          editor[trykket ? "removeList" : def.til]();
        } else if (def.citat) {
          editor[trykket ? "decreaseQuoteLevel" : "increaseQuoteLevel"]();
        } else if (def.link) {
          lavLink(editor);
        } else {
          editor[def.handling]();
        }
        skrivTilbage();
        opdaterTilstand();
        if (!def.link) {
          editor.focus();
        }
      });
      knap._def = def;
      knapper.push(knap);
      linje.appendChild(knap);
    });

    // A toolbar is one tab stop; the arrow keys, Home and End move within it.
    linje.addEventListener("keydown", function (e) {
      var i = knapper.indexOf(document.activeElement);
      if (i === -1) {
        return;
      }
      var ny = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: knapper.length - 1 }[e.key];
      if (ny === undefined) {
        return;
      }
      e.preventDefault();
      ny = (ny + knapper.length) % knapper.length;
      knapper[i].tabIndex = -1;
      knapper[ny].tabIndex = 0;
      knapper[ny].focus();
    });

    function opdaterTilstand() {
      var sti = editor.getPath();
      knapper.forEach(function (knap) {
        var def = knap._def;
        var taendt = null;
        if (def.format) {
          taendt = editor.hasFormat(def.format);
        } else if (def.liste) {
          taendt = iSti(sti, def.liste);
        } else if (def.citat) {
          taendt = iSti(sti, "BLOCKQUOTE");
        } else if (def.blok) {
          taendt = sti !== "(selection)" && iSti(sti, def.blok);
        }
        if (taendt !== null) {
          knap.setAttribute("aria-pressed", taendt ? "true" : "false");
        }
      });
    }

    editor.addEventListener("input", skrivTilbage);
    editor.addEventListener("pathChange", opdaterTilstand);
    editor.addEventListener("select", opdaterTilstand);
    editor.addEventListener("cursor", opdaterTilstand);
    editor.addEventListener("undoStateChange", function (e) {
      knapper.forEach(function (knap) {
        if (knap._def.fortryd) {
          knap.setAttribute("aria-disabled", e.detail.canUndo ? "false" : "true");
        } else if (knap._def.gentag) {
          knap.setAttribute("aria-disabled", e.detail.canRedo ? "false" : "true");
        }
      });
    });
    knapper.forEach(function (knap) {
      if (knap._def.fortryd || knap._def.gentag) {
        knap.setAttribute("aria-disabled", "true");
      }
    });

    // Switch between the formatted surface and the HTML source (e.g. to paste HTML or merge by hand).
    var skift = document.createElement("button");
    skift.type = "button";
    skift.className = "button button-tertiary editor-skift";
    skift.setAttribute("aria-pressed", "false");
    skift.textContent = "Vis HTML-kilden";
    skift.addEventListener("click", function () {
      var tilKilde = textarea.hidden;
      if (tilKilde) {
        textarea.value = editor.getHTML();
        textarea.hidden = false;
        ramme.hidden = true;
        textarea.focus();
      } else {
        editor.setHTML(textarea.value);
        textarea.hidden = true;
        ramme.hidden = false;
        editor.focus();
      }
      skift.setAttribute("aria-pressed", tilKilde ? "true" : "false");
    });
    textarea.parentNode.insertBefore(skift, textarea.nextSibling);

    textarea.hidden = true;
    if (form) {
      form.addEventListener("submit", skrivTilbage);
    }
    // The label and the error summary point at the textarea; send them to the surface instead.
    function tilFlade(e) {
      if (textarea.hidden) {
        e.preventDefault();
        editor.focus();
      }
    }
    if (label) {
      label.addEventListener("click", tilFlade);
    }
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest('a[href="#' + textarea.id + '"]');
      if (link) {
        tilFlade(e);
      }
    });
    return editor;
  }

  document.querySelectorAll('textarea[data-editor="squire"]').forEach(byg);
})();
