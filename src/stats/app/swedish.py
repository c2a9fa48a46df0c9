"""Swedish in place of the widget texts Streamlit only has in English (upload, Enter hints).

Streamlit cannot set the file uploader's texts ("Upload", "200MB per file"; the pull request
that proposed parameters for them, streamlit/streamlit#10042, was closed unmerged) nor the
input hints ("Press Enter to apply"). The workaround is
CSS: the English text nodes are hidden (`display: none`, so neither the screen nor a screen
reader shows them) and the Swedish text is generated content (`::after`), which both show.
The uploader's rules are scoped by its key class `st-key-<key>`. The DOM is Streamlit 1.67's;
`tests/test_browser_forbered.py` reads the rendered page and fails if English comes back.
"""

from __future__ import annotations

import json

import streamlit as st

UPLOAD_KEY = "sni_fil"
UPLOADER = f".st-key-{UPLOAD_KEY}"
HINTS = {
    "stTextInput": "Tryck Enter för att använda",
    "stTextArea": "Tryck Ctrl+Enter för att använda",
}
FORM_HINT = "Tryck Enter för att skicka"


def _css_text(text: str) -> str:
    """A CSS string literal; the texts are ours, but quotes and backslashes are escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_rules(limit_mb: int, types: str) -> str:
    """Rules that turn the SNI uploader's button and limits line Swedish."""
    zone = f"{UPLOADER} [data-testid='stFileUploaderDropzoneInstructions']"
    button = f"{UPLOADER} [data-testid='stFileUploaderDropzone'] button"
    line = f"Dra och släpp en fil här • högst {limit_mb} MB per fil • {types}"
    label = _css_text("Välj fil")
    return (
        f"{zone} span {{ display: none; }}\n"
        f"{zone} > div::after {{ content: {_css_text(line)}; }}\n"
        f"{button} [data-testid='stMarkdownContainer'] p {{ display: none; }}\n"
        f"{button} [data-testid='stMarkdownContainer']::after {{ content: {label}; }}\n"
    )


def hint_rules() -> str:
    """Rules that turn the text fields' Enter hints Swedish (forms say "skicka")."""
    hint = "[data-testid='InputInstructions']"
    rules = [f"{hint} > span {{ display: none; }}"]
    for widget, text in HINTS.items():
        rules.append(f"[data-testid='{widget}'] {hint}::after {{ content: {_css_text(text)}; }}")
    form = f"[data-testid='stForm'] [data-testid='stTextInput'] {hint}::after"
    rules.append(f"{form} {{ content: {_css_text(FORM_HINT)}; }}")
    return "\n".join(rules) + "\n"


# Streamlit's toolbar over each chart and table ("Fullscreen", "Download as CSV", "Search")
# is labelled in English only; the tables are under "Visa som tabell" and the downloads are the
# meeting's exports, so the toolbar is hidden rather than left English
TOOLBAR_RULE = "[data-testid='stElementToolbar'] { display: none; }\n"


# Streamlit's own buttons and fields name themselves in English for screen readers (aria-label,
# placeholder); a small script on every page swaps the known ones for Swedish, also in
# elements drawn later (a MutationObserver, installed once per browser tab)
ARIA_SWEDISH = {
    "Collapse sidebar": "Fäll ihop sidomenyn",
    "Expand sidebar": "Visa sidomenyn",
    "Open": "Öppna",
    "Clear all": "Rensa alla",
    "Clear value": "Rensa",
    "Show password": "Visa lösenord",
    "Hide password": "Dölj lösenord",
    "Choose an option": "Välj",
    "Choose options": "Välj",
    "No results": "Inga träffar",
    "Remove": "Ta bort",
    "Main menu": "Huvudmeny",
    "Link to heading": "Länk till rubriken",
    "Sidebar": "Sidomeny",
    "file upload": "filuppladdning",
}


# buttons whose English text the CSS hides get their Swedish name for screen readers here
# (generated content is not counted by every checker, axe-core included)
NAMED = {f"{UPLOADER} [data-testid='stFileUploaderDropzone'] button": "Välj fil"}


def aria_script() -> str:
    """The script that swaps `ARIA_SWEDISH`'s English labels and placeholders for Swedish and
    names the buttons in `NAMED`."""
    table = json.dumps(ARIA_SWEDISH, ensure_ascii=False).replace("<", "\\u003c")
    named = json.dumps(NAMED, ensure_ascii=False).replace("<", "\\u003c")
    return (
        "<script>(function(){if(window.__svAria)return;window.__svAria=true;"
        f"const T={table};const A=['aria-label','title','placeholder'];"
        "const fix=e=>{if(!e.getAttribute)return;for(const a of A){const v=e.getAttribute(a);"
        "if(v&&Object.hasOwn(T,v))e.setAttribute(a,T[v]);}};"
        f"const N={named};"
        "const sweep=r=>{fix(r);if(r.querySelectorAll)"
        "r.querySelectorAll('[aria-label],[title],[placeholder]').forEach(fix);"
        "for(const [q,n] of Object.entries(N))document.querySelectorAll(q)"
        ".forEach(b=>{if(b.getAttribute('aria-label')!==n)b.setAttribute('aria-label',n);});};"
        "sweep(document.body);new MutationObserver(ms=>ms.forEach(m=>m.type==='attributes'?"
        "fix(m.target):m.addedNodes.forEach(n=>n.nodeType===1&&sweep(n))))"
        ".observe(document.body,{subtree:true,childList:true,attributes:true,attributeFilter:A});"
        "})();</script>"
    )


def swedish_widgets(types: str = "CSV, XLSX") -> None:
    """Put the rules on the page (a style element takes no space); app.py does it for every
    page."""
    limit = int(st.get_option("server.maxUploadSize"))
    st.html(f"<style>\n{uploader_rules(limit, types)}{hint_rules()}{TOOLBAR_RULE}</style>")
    st.html(aria_script(), unsafe_allow_javascript=True)
