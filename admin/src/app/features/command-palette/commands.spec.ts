import { abilityFor } from '../../core/auth/ability';
import { NAV_ITEMS } from '../../core/layout/nav/nav-items';
import { Command, filterCommands, matchScore, staticCommands } from './commands';

const labels = (commands: Command[]) => commands.map((c) => c.label);

describe('command palette commands', () => {
  it('offers only the pages and actions the role may use', () => {
    const viewer = labels(staticCommands(NAV_ITEMS, abilityFor('VIEWER', 'u1')));
    expect(viewer).toContain('Library');
    expect(viewer).not.toContain('Members');
    expect(viewer).not.toContain('Playground');
    expect(viewer).not.toContain('New prompt');
    expect(viewer).toContain('Keyboard shortcuts');

    const owner = labels(staticCommands(NAV_ITEMS, abilityFor('OWNER', 'u1')));
    expect(owner).toEqual(expect.arrayContaining(['Members', 'Playground', 'New prompt', 'Billing']));

    // An organization that lets VIEWERs run gets them the playground too.
    const runner = labels(
      staticCommands(NAV_ITEMS, abilityFor('VIEWER', 'u1', { viewersMayRun: true, membersMayExport: true })),
    );
    expect(runner).toContain('Playground');
  });

  it('scores prefixes over word starts over substrings over scattered letters, and refuses non-matches', () => {
    expect(matchScore('Members', 'mem')).toBeGreaterThan(matchScore('API keys', 'key'));
    expect(matchScore('API keys', 'key')).toBeGreaterThan(matchScore('Playground', 'ground'));
    expect(matchScore('Playground', 'ground')).toBeGreaterThan(matchScore('Provider keys', 'pvk'));
    expect(matchScore('Provider keys', 'pvk')).toBeGreaterThan(0);
    expect(matchScore('Billing', 'xyz')).toBe(-1);
    expect(matchScore('Billing', '  ')).toBe(0);
  });

  it('filters best first and keeps everything for an empty query', () => {
    const all = staticCommands(NAV_ITEMS, abilityFor('OWNER', 'u1'));
    expect(filterCommands(all, '')).toHaveLength(all.length);
    const keys = labels(filterCommands(all, 'keys'));
    expect(keys.slice(0, 2).sort()).toEqual(['API keys', 'Provider keys']);
    expect(labels(filterCommands(all, 'new'))[0]).toBe('New prompt');
    expect(filterCommands(all, 'qqqq')).toEqual([]);
  });
});
