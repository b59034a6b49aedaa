/** The admin dashboard's stylesheet (inline in the page; its hash is in the Content-Security-Policy). */
export const STYLE = String.raw`
:root{--ok:#1a7f37;--warning:#b58100;--critical:#c62828;--muted:#667085;--line:#e4e7ec;--bg:#f8f9fb}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2939;background:var(--bg);font-size:14px}
header{display:flex;align-items:center;gap:1rem;padding:.8rem 1.2rem;background:#101828;color:#fff}
header h1{font-size:1.1rem;margin:0;flex:1}
main{max-width:78rem;margin:0 auto;padding:1rem 1.2rem 3rem}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
h2{font-size:1rem;margin:0 0 .6rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.02em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
button{font:inherit;padding:.35rem .8rem;border:1px solid #98a2b3;border-radius:6px;background:#fff;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
button:disabled{opacity:.5;cursor:default}
input,select{font:inherit;padding:.3rem .45rem;border:1px solid #98a2b3;border-radius:6px;min-width:0}
label{display:flex;flex-direction:column;gap:.15rem;font-size:.8rem;color:var(--muted)}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin-bottom:.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.bar{position:relative;width:10rem;height:.7rem;background:var(--line);border-radius:4px;overflow:hidden}
.bar .fill{height:100%}
.level-ok{color:var(--ok)} .level-warning{color:var(--warning)} .level-critical{color:var(--critical)}
.fill.level-ok{background:var(--ok)} .fill.level-warning{background:var(--warning)} .fill.level-critical{background:var(--critical)}
.badge{display:inline-block;padding:0 .45rem;border-radius:9px;font-size:.78rem;font-weight:600;border:1px solid currentColor}
.good,.ok,.ready{color:var(--ok)} .warning,.warming,.paused{color:var(--warning)} .critical,.retired,.restricted,.checkpoint{color:var(--critical)}
.muted{color:var(--muted)}
#flash{min-height:1.4rem;margin:0 0 .8rem}
#flash.error{color:var(--critical)} #flash.info{color:var(--ok)}
#login{max-width:26rem;margin:4rem auto}
[hidden]{display:none!important}
.grow{flex:1}
.pre{white-space:pre-line}
`;
