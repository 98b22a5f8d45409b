import { inject } from '@angular/core';
import { MatIconRegistry } from '@angular/material/icon';
import { DomSanitizer } from '@angular/platform-browser';

/**
 * Registers Material icon shapes given as SVG path data (call in an injection context): the one
 * way the console adds icons, so it needs no icon-font download and runs without internet access.
 */
export function addSvgIcons(paths: Record<string, string>): void {
  const registry = inject(MatIconRegistry);
  const sanitizer = inject(DomSanitizer);
  for (const [name, path] of Object.entries(paths)) {
    // Constant markup from the callers' own path tables, never user input.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="currentColor"><path d="${path}"/></svg>`;
    registry.addSvgIconLiteral(name, sanitizer.bypassSecurityTrustHtml(svg));
  }
}

/**
 * A function that registers `paths` once per icon registry (call it in an injection context, e.g.
 * a component's constructor): for a feature's icons that several of its components may need.
 */
export function iconRegistrar(paths: Record<string, string>): () => void {
  const registeredIn = new WeakSet<MatIconRegistry>();
  return () => {
    const registry = inject(MatIconRegistry);
    if (registeredIn.has(registry)) return;
    addSvgIcons(paths);
    registeredIn.add(registry);
  };
}
