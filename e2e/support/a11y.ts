import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

/** WCAG 2.0 and 2.1, levels A and AA: what the console promises. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Impacts that fail a journey; moderate and minor ones are for review, not for CI. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Documented exclusions: third-party widgets whose inner markup the console does not write.
 * - `canvas`: chart drawings (Chart.js); each chart carries its own label and a data table.
 */
const EXCLUDED = ['canvas'];

/**
 * Runs axe on the page as it is now and fails listing every serious or critical violation (rule id,
 * impact, the elements it found), labelled with `label` (the route and mode) so a loop over pages
 * says which one broke.
 */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of EXCLUDED) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const blocking = violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .slice(0, 5)
          .map(
            (node) =>
              `    ${node.target.join(' ')}${node.failureSummary ? ` — ${firstLine(node.failureSummary)}` : ''}`,
          )
          .join('\n'),
    );
  expect(blocking, `${label}: serious or critical accessibility violations\n${blocking.join('\n')}`).toEqual(
    [],
  );
}

function firstLine(summary: string): string {
  return summary.split('\n').slice(0, 2).join(' ').trim();
}

/**
 * Nothing scrolls sideways: the document is no wider than the viewport, and no visible element
 * reaches past its right edge (which would push it wider, or be cut off where overflow hides it).
 * Elements inside a container that scrolls horizontally on its own (a wide table's wrapper) are
 * that container's business, as long as the container itself fits.
 */
export async function expectNoHorizontalScroll(page: Page, label = page.url()): Promise<void> {
  const result = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const describe = (element: Element): string => {
      const id = element.id ? `#${element.id}` : '';
      const classes = Array.from(element.classList)
        .slice(0, 3)
        .map((name) => `.${name}`)
        .join('');
      return `${element.tagName.toLowerCase()}${id}${classes}`;
    };
    const scrollsOnItsOwn = (element: Element): boolean => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (parent === document.body || parent === document.documentElement) return false;
        const style = getComputedStyle(parent);
        if (
          (style.overflowX === 'auto' || style.overflowX === 'scroll') &&
          parent.getBoundingClientRect().right <= width + 1
        ) {
          return true;
        }
      }
      return false;
    };
    const offenders: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      if (offenders.length >= 8) break;
      // Off-canvas pieces (a closed drawer, screen-reader-only text, overlays) are not laid out in
      // view; a tab bar too wide for the screen pages its tabs with arrows, inside its own width.
      if (
        element.closest(
          '.cdk-overlay-container, .cdk-visually-hidden, .mat-drawer:not(.mat-drawer-opened), .mat-mdc-tab-label-container',
        )
      ) {
        continue;
      }
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.position === 'fixed') continue;
      if (rect.right > width + 1 && !scrollsOnItsOwn(element)) {
        offenders.push(`${describe(element)} (right edge ${Math.round(rect.right)}px)`);
      }
    }
    return { width, scrollWidth, offenders };
  });
  expect(
    { scrollWidth: result.scrollWidth <= result.width, offenders: result.offenders },
    `${label}: the page is ${result.scrollWidth}px wide in a ${result.width}px viewport`,
  ).toEqual({ scrollWidth: true, offenders: [] });
}

/**
 * No control is cut off: every visible button, link, tab, toggle or field lies inside each
 * ancestor that clips its overflow (a button group squeezed on a phone hides its last buttons
 * without making the page any wider, so expectNoHorizontalScroll does not see it). A container
 * that scrolls on its own (a wide table's wrapper, a tab bar with arrows) is the user's to scroll.
 */
export async function expectNoClippedControls(page: Page, label = page.url()): Promise<void> {
  const clipped = await page.evaluate(() => {
    const found: string[] = [];
    const name = (element: Element) =>
      (element.getAttribute('aria-label') || element.textContent || '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 40);
    const controls = document.body.querySelectorAll(
      'button, a[href], input, textarea, mat-select, [role="tab"], [role="button"], [role="link"]',
    );
    for (const control of Array.from(controls)) {
      if (found.length >= 8) break;
      // A tab bar too wide for the screen pages its tabs with arrows (as in expectNoHorizontalScroll).
      const offCanvas =
        '.cdk-overlay-container, .cdk-visually-hidden, .mat-drawer:not(.mat-drawer-opened), .mat-mdc-tab-label-container';
      if (control.closest(offCanvas)) continue;
      const rect = control.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2 || getComputedStyle(control).visibility === 'hidden') continue;
      for (
        let parent = control.parentElement;
        parent && parent !== document.body;
        parent = parent.parentElement
      ) {
        const style = getComputedStyle(parent);
        if (['auto', 'scroll'].includes(style.overflowX)) break;
        if (!['hidden', 'clip'].includes(style.overflowX)) continue;
        const box = parent.getBoundingClientRect();
        if (rect.left < box.left - 1 || rect.right > box.right + 1) {
          found.push(
            `${control.tagName.toLowerCase()} "${name(control)}" (${Math.round(rect.left)}–${Math.round(rect.right)}px) ` +
              `cut off by ${parent.tagName.toLowerCase()}.${Array.from(parent.classList).slice(0, 2).join('.')} ` +
              `(${Math.round(box.left)}–${Math.round(box.right)}px)`,
          );
        }
        break;
      }
    }
    return found;
  });
  expect(clipped, `${label}: controls cut off by their container\n${clipped.join('\n')}`).toEqual([]);
}
