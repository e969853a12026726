/** The bench's table: one row per figure, with its target and whether it is met. Printed as Markdown for the README. */
export class Report {
  private readonly rows: { section: string; measure: string; figure: string; target: string; met: boolean | null }[] = [];

  row(section: string, measure: string, figure: string, target: string, met: boolean | null = null) {
    this.rows.push({ section, measure, figure, target, met });
    console.log(`  [${section}] ${measure}: ${figure}${target ? `  (target ${target}: ${met === null ? '—' : met ? 'met' : 'NOT met'})` : ''}`);
  }

  render(): string {
    const out: string[] = [];
    for (const section of [...new Set(this.rows.map((r) => r.section))]) {
      out.push('', `### ${section}`, '', '| measure | figure | target | met |', '| --- | --- | --- | --- |');
      for (const r of this.rows.filter((x) => x.section === section)) {
        out.push(`| ${r.measure} | ${r.figure} | ${r.target || '—'} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`);
      }
    }
    return out.join('\n');
  }
}
