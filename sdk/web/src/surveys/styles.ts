// The survey's style sheet, applied inside its shadow root. The host element is reset with
// !important (inside a shadow tree, !important rules beat the page's, whatever the page's
// selectors), so global page CSS such as `* { all: unset !important }` cannot reach in.
// Radio buttons of scales are hidden under their labels, never removed, so that they keep the
// keyboard's arrow keys and the screen reader's names.
//
// Each line ends with a backslash, which the template leaves out: the sheet is one line.
export const SURVEY_CSS = `\
:host{all:initial!important;display:block!important}\
:host([data-preview]){position:relative!important;height:100%!important}\
:host([data-preview]) .layer{position:absolute}:host([data-preview]) .box{max-height:calc(100% - 24px)}\
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit;border:0}\
.layer{position:fixed;z-index:2147483000;font:15px/1.45 system-ui,sans-serif;color:var(--fg);\
overflow-wrap:anywhere}\
.modal{inset:0;display:flex;align-items:center;justify-content:center;background:#0f172a73}\
.card{right:20px;bottom:20px;width:min(400px,100% - 24px)}\
.box{position:relative;background:var(--bg);border-radius:16px;padding:24px;outline:0;\
box-shadow:0 12px 40px #0f172a38;animation:rise .2s;max-height:calc(100vh - 24px);overflow:auto}\
.modal .box{width:min(460px,100% - 24px)}\
.card .box{animation-name:slide}\
.close{position:absolute;z-index:1;top:10px;right:10px;width:32px;height:32px;border-radius:8px;\
font-size:22px;line-height:1;opacity:.6}.close:hover{opacity:1}\
.progress{font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase;\
opacity:.6;min-height:18px;margin-bottom:4px}\
.title,.question{display:block;font-size:18px;line-height:1.3;font-weight:650;margin-right:28px}\
b,strong{font-weight:700}i,em{font-style:italic}.body p+p{margin-top:8px}\
.body{opacity:.86;margin-top:6px}.body a{color:var(--accent);text-decoration:underline}\
fieldset{min-width:0}legend{float:left;width:100%}legend+*{clear:both}\
.options{padding-top:14px}\
.option{position:relative;display:flex;align-items:center;gap:10px;cursor:pointer}\
.choices .option{padding:10px 12px;margin-top:8px;border-radius:10px;\
border:1px solid color-mix(in srgb,var(--fg) 20%,transparent)}\
.choices .option:has(:checked){border-color:var(--accent);\
background:color-mix(in srgb,var(--accent) 9%,transparent)}\
input[type=radio],input[type=checkbox]{accent-color:var(--accent);width:18px;height:18px;flex:none}\
.scale{display:flex;gap:6px}.numbers{gap:4px}\
.scale .option{flex:1;justify-content:center}\
.scale input{position:absolute;inset:0;width:100%;height:100%;opacity:0;margin:0;cursor:pointer}\
.scale span{display:flex;align-items:center;justify-content:center;width:100%;height:44px;\
border-radius:9px;pointer-events:none}\
.numbers span{font-weight:600;font-variant-numeric:tabular-nums;\
border:1px solid color-mix(in srgb,var(--fg) 20%,transparent)}\
.numbers :checked+span{background:var(--accent);border-color:var(--accent);color:#fff}\
.stars,.faces{justify-content:center}.stars .option,.faces .option{flex:0 1 56px}\
.stars span{font-size:34px;color:color-mix(in srgb,var(--fg) 22%,transparent)}\
.stars .on span{color:#f5a524}\
.faces svg{width:38px;height:38px;fill:none;stroke:currentColor;stroke-width:2;\
stroke-linecap:round;transition:transform .1s}\
.faces circle+circle{fill:currentColor;stroke:0}.faces path{fill:none}\
.faces span{color:color-mix(in srgb,var(--fg) 40%,transparent)}\
.faces :checked+span{color:var(--accent)}.faces :checked+span svg{transform:scale(1.2);\
fill:color-mix(in srgb,var(--accent) 14%,transparent)}\
.scale :focus-visible+span{outline:3px solid var(--accent);outline-offset:2px}\
.ends{display:flex;justify-content:space-between;gap:12px;margin-top:6px;font-size:12px;\
opacity:.7}\
.field{display:block;width:100%;margin-top:14px;padding:10px 12px;border-radius:10px;\
background:transparent;border:1px solid color-mix(in srgb,var(--fg) 25%,transparent)}\
.other-text{margin-top:6px}\
textarea.field{min-height:104px;resize:vertical}\
.field:focus{outline:0;border-color:var(--accent);box-shadow:0 0 0 3px \
color-mix(in srgb,var(--accent) 25%,transparent)}\
.invalid .field,.invalid .choices .option,.invalid .numbers span{border-color:#d32f2f}\
.error{color:#c62828;font-size:13px;font-weight:600;margin-top:10px}\
.actions{display:flex;justify-content:flex-end;margin-top:18px}\
button{cursor:pointer;background:0}\
.button{padding:10px 20px;border-radius:10px;font-weight:600;font-size:14px;\
background:var(--accent);color:#fff}\
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}\
@keyframes rise{from{opacity:0;transform:translateY(8px)}}\
@keyframes slide{from{opacity:0;transform:translateX(40px)}}\
@media (max-width:480px){.card{left:12px;right:12px;bottom:12px;width:auto}\
.box{padding:20px 16px}.numbers{gap:3px}.button{flex:auto}}\
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`;
