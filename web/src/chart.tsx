// The results timeline: cumulative people over time (uPlot on a canvas).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series { label: string; color: string; values: (number | null)[]; dash?: number[] }

export function TimelineChart({ xs, series, title }: { xs: number[]; series: Series[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: width < 500 ? 200 : 260,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // A campaign that happened within a minute still gets a readable axis.
      scales: { x: { time: true, range: (_u, min, max) => (max - min < 120 ? [min - 60, max + 60] : [min, max]) } },
      axes: [
        { stroke: '#4a5568', grid: { stroke: '#e2e8f0' } },
        { stroke: '#4a5568', grid: { stroke: '#e2e8f0' }, size: 50 },
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, points: { show: false } }))],
    };
    const p = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    plot.current = p;
    const ro = new ResizeObserver(() => {
      const w = Math.max(280, el.clientWidth);
      p.setSize({ width: w, height: w < 500 ? 200 : 260 });
    });
    ro.observe(el);
    return () => { ro.disconnect(); p.destroy(); plot.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);
  useEffect(() => {
    plot.current?.setData([xs, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [xs, series]);
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={title} />
      <figcaption>
        <ul class="legend">
          {series.map((s) => (
            <li><span class="swatch" style={{ background: s.color }} aria-hidden="true" />{s.label}: {s.values.length ? s.values[s.values.length - 1] ?? 0 : 0}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
