// The nudges' style sheet, applied inside each nudge's shadow root. The host element is reset
// with !important (inside a shadow tree, !important rules beat the page's, whatever the page's
// selectors), so global page CSS such as `* { all: unset !important }` cannot reach in.
//
// Each nudge rises into place, a card slides in from the side: one animation, whose offset the
// card sets through custom properties. The individual rotate and translate properties are in
// every browser that has color-mix (Chrome 111, Safari 16.2, Firefox 113), which the buttons use.
//
// Each line ends with a backslash, which the template leaves out: the sheet is one line.
export const BASE_CSS = `\
:host{all:initial!important;display:block!important}\
*{box-sizing:border-box;margin:0;padding:0;color:inherit}\
.layer{position:fixed;z-index:2147483000;font:15px/1.45 system-ui,sans-serif;color:var(--fg);\
overflow-wrap:anywhere}\
.box{position:relative;background:var(--bg);border-radius:14px;padding:20px;outline:0;\
box-shadow:0 12px 40px #0f172a38;animation:rise .2s}\
.modal{inset:0;display:flex;align-items:center;justify-content:center;background:#0f172a73}\
.modal .box{width:min(420px,100% - 32px);max-height:calc(100% - 32px);overflow:auto;padding:24px}\
.banner{inset:auto 0}.top{top:0}.bottom{bottom:0}\
.banner .box{border-radius:0;display:flex;flex-wrap:wrap;align-items:center;gap:4px 20px;\
padding:14px 52px 14px 20px}\
.banner .text{flex:1 1 240px}.banner .buttons{margin:0}\
.card{right:20px;bottom:20px;width:min(360px,100% - 32px)}\
.card .box{--x:40px;--y:0}\
.tooltip .box{width:max-content;max-width:min(300px,100vw - 16px);padding:14px 16px}\
.arrow{position:absolute;width:12px;height:12px;background:inherit;rotate:45deg}\
.image{display:block;width:100%;max-height:180px;object-fit:cover;border-radius:10px;\
margin-bottom:14px}\
.banner .image{width:44px;height:44px;margin:0}\
.title{font-size:18px;line-height:1.3;font-weight:650;margin-right:28px}\
.body{opacity:.86;margin-top:6px}.body a{color:var(--accent);text-decoration:underline}\
.buttons{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px;justify-content:flex-end}\
button{cursor:pointer;border:0;background:0;font:inherit}\
.button{padding:9px 16px;border-radius:9px;font-weight:600;font-size:14px;color:var(--accent);\
background:color-mix(in srgb,var(--accent) 12%,transparent)}\
.primary{background:var(--accent);color:#fff}\
.close{position:absolute;top:10px;right:10px;width:30px;height:30px;font-size:20px;opacity:.6}\
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}\
@keyframes rise{from{opacity:0;translate:var(--x,0) var(--y,8px)}}\
@media (max-width:480px){.card{left:12px;right:12px;bottom:12px;width:auto}.button{flex:auto}}\
@media (prefers-reduced-motion:reduce){*{animation:none!important}}`;

/** The rules of the dashboard's preview, drawn inside its container (render.ts, PREVIEW). */
export const PREVIEW_CSS = `\
:host([data-preview]){position:relative!important;height:100%!important}\
:host([data-preview]) .layer{position:absolute}`;
