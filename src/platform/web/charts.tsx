// Accessible charts drawn on the server (OPS-7; the incident statistics will use them too): SVG with a title and a description read
// by screen readers (role="img", aria-labelledby), a visible legend, and the same numbers in a table
// beside it, so nothing depends on seeing the picture or on JavaScript. Colours are told apart by
// the legend's text and the table too, never by colour alone.
import type { ComponentChildren } from 'preact';

export interface Series { name: string; values: number[] }
export interface ChartData {
  /** Unique on the page: ids of the title and description derive from it. */
  id: string;
  title: string;
  /** One sentence saying what the chart shows and its main figure (read instead of the picture). */
  description: string;
  /** The category labels (x axis for columns, y axis for bars). */
  categories: string[];
  series: Series[];
  /** Header of the category column of the table. */
  categoryHeader: string;
}

/** Colour-blind-safe palette (Okabe–Ito), each with ≥ 3:1 contrast on white. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const W = 640, ROW = 22, PAD_LEFT = 180, PAD_RIGHT = 56;

const total = (d: ChartData, i: number) => d.series.reduce((s, x) => s + (x.values[i] ?? 0), 0);

/** Horizontal stacked bars, one per category: for few categories with long names (units, states, ages). */
export function BarChart({ d }: { d: ChartData }) {
  const max = Math.max(1, ...d.categories.map((_, i) => total(d, i)));
  const h = d.categories.length * ROW + 8;
  const scale = (v: number) => (v / max) * (W - PAD_LEFT - PAD_RIGHT);
  return (
    <ChartFigure d={d}>
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-labelledby={`${d.id}-title ${d.id}-desc`} class="chart">
        <title id={`${d.id}-title`}>{d.title}</title>
        <desc id={`${d.id}-desc`}>{d.description}</desc>
        {d.categories.map((c, i) => {
          let x = PAD_LEFT;
          return (
            <g>
              <text x={PAD_LEFT - 6} y={i * ROW + 16} text-anchor="end" font-size="12">{c.length > 24 ? c.slice(0, 23) + '…' : c}</text>
              {d.series.map((s, k) => {
                const w = scale(s.values[i] ?? 0);
                const rect = <rect x={x} y={i * ROW + 4} width={w} height={ROW - 8} fill={COLOURS[k % COLOURS.length]} />;
                x += w;
                return rect;
              })}
              <text x={x + 4} y={i * ROW + 16} font-size="12">{total(d, i)}</text>
            </g>
          );
        })}
      </svg>
    </ChartFigure>
  );
}

/** Vertical stacked columns over time (days): for many categories with short names. */
export function ColumnChart({ d }: { d: ChartData }) {
  const max = Math.max(1, ...d.categories.map((_, i) => total(d, i)));
  const H = 200, bottom = 24, left = 36;
  const step = (W - left - 8) / Math.max(1, d.categories.length);
  const scale = (v: number) => (v / max) * (H - bottom - 8);
  return (
    <ChartFigure d={d}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${d.id}-title ${d.id}-desc`} class="chart">
        <title id={`${d.id}-title`}>{d.title}</title>
        <desc id={`${d.id}-desc`}>{d.description}</desc>
        <text x={left - 4} y={14} text-anchor="end" font-size="11">{max}</text>
        <text x={left - 4} y={H - bottom} text-anchor="end" font-size="11">0</text>
        <line x1={left} y1={H - bottom} x2={W - 8} y2={H - bottom} stroke="#555" />
        {d.categories.map((c, i) => {
          let y = H - bottom;
          return (
            <g>
              {d.series.map((s, k) => {
                const hh = scale(s.values[i] ?? 0);
                y -= hh;
                return <rect x={left + i * step + 1} y={y} width={Math.max(1, step - 2)} height={hh} fill={COLOURS[k % COLOURS.length]} />;
              })}
              {(i === 0 || i === d.categories.length - 1 || i % 7 === 0) && <text x={left + i * step + step / 2} y={H - 8} text-anchor="middle" font-size="10">{c}</text>}
            </g>
          );
        })}
      </svg>
    </ChartFigure>
  );
}

function ChartFigure({ d, children }: { d: ChartData; children: ComponentChildren }) {
  return (
    <figure class="chart-figure" aria-labelledby={`${d.id}-caption`}>
      <figcaption id={`${d.id}-caption`}><strong>{d.title}</strong></figcaption>
      {children}
      {d.series.length > 1 && (
        <ul class="chart-legend">
          {/* An SVG swatch: presentation attributes, so the page's CSP (no inline style) allows it. */}
          {d.series.map((s, k) => <li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill={COLOURS[k % COLOURS.length]} /></svg> {s.name}</li>)}
        </ul>
      )}
      <table class="chart-data" data-chart={d.id}>
        <caption>{d.description}</caption>
        <thead><tr><th scope="col">{d.categoryHeader}</th>{d.series.map((s) => <th scope="col">{s.name}</th>)}</tr></thead>
        <tbody>
          {d.categories.map((c, i) => <tr><th scope="row">{c}</th>{d.series.map((s) => <td>{s.values[i] ?? 0}</td>)}</tr>)}
        </tbody>
      </table>
    </figure>
  );
}
