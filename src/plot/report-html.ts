// The report as one self-contained HTML file: inline SVG charts, inline CSS, the font as a data URL,
// no script at all (a Content-Security-Policy forbids scripts and every fetch, so nothing a server
// sent can run or call out), and a layout that reflows to one column on a phone.
import { escapeXml, sceneSvg } from "./svg.ts";
import type { Scene } from "./scene.ts";

export interface Table {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface Section {
  title: string;
  /** One short paragraph under the heading. */
  intro?: string;
  charts: Scene[];
  tables?: Table[];
}

export interface ReportModel {
  title: string;
  /** Lines under the title (what was measured, when, which tool). */
  subtitle: readonly string[];
  /** Headline figures: [label, value]. */
  stats: readonly (readonly [string, string])[];
  sections: readonly Section[];
  /** Footnotes (what was left out, assumptions). */
  notes: readonly string[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

const CSS = `
@font-face{font-family:LlmbenchSans;src:url(data:font/ttf;base64,@FONT@) format("truetype")}
*{box-sizing:border-box}
body{margin:0;font-family:LlmbenchSans,'DejaVu Sans',Verdana,sans-serif;color:#222;background:#f4f5f7;line-height:1.4}
header,main,footer{max-width:1500px;margin:0 auto;padding:12px 16px}
h1{font-size:1.4rem;margin:8px 0 4px}
h2{font-size:1.1rem;margin:22px 0 6px}
.sub{color:#555;font-size:.85rem;margin:0;overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0}
.stat{background:#fff;border-radius:6px;padding:8px 10px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.stat b{display:block;font-size:1.05rem}
.stat span{color:#666;font-size:.75rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));gap:12px}
figure{margin:0;background:#fff;border-radius:6px;padding:6px;box-shadow:0 1px 2px rgba(0,0,0,.08);overflow-x:auto}
figure svg{display:block;width:100%;min-width:480px;height:auto}
.intro{color:#444;font-size:.9rem;margin:0 0 8px}
.tbl{overflow-x:auto;background:#fff;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08);margin-top:12px}
table{border-collapse:collapse;font-size:.8rem;width:100%}
th,td{padding:5px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}
th{background:#fafafa;white-space:nowrap}
footer{color:#666;font-size:.75rem}
`;

function tableHtml(t: Table): string {
  const head = t.columns.map((c) => `<th>${escapeXml(c)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`).join("");
  return `<div class="tbl"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function sectionHtml(s: Section): string {
  const charts = s.charts.map((c) => `<figure id="${escapeXml(c.id)}">${sceneSvg(c)}</figure>`).join("");
  return [
    `<section><h2>${escapeXml(s.title)}</h2>`,
    s.intro ? `<p class="intro">${escapeXml(s.intro)}</p>` : "",
    charts ? `<div class="grid">${charts}</div>` : "",
    ...(s.tables ?? []).map(tableHtml),
    "</section>",
  ].join("");
}

export function reportHtml(model: ReportModel, fontBase64: string): string {
  const stats = model.stats.map(([k, v]) => `<div class="stat"><b>${escapeXml(v)}</b><span>${escapeXml(k)}</span></div>`).join("");
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(model.title)}</title>`,
    `<style>${CSS.replace("@FONT@", fontBase64)}</style></head><body>`,
    `<header><h1>${escapeXml(model.title)}</h1>${model.subtitle.map((l) => `<p class="sub">${escapeXml(l)}</p>`).join("")}`,
    stats ? `<div class="stats">${stats}</div>` : "",
    "</header><main>",
    ...model.sections.map(sectionHtml),
    "</main>",
    `<footer>${model.notes.map((n) => `<p>${escapeXml(n)}</p>`).join("")}</footer>`,
    "</body></html>\n",
  ].join("");
}
