import { iconRegistrar } from '../../core/icons/svg-icons';

/** Material icon shapes (Apache-2.0, google/material-design-icons) for the audit log page, bundled as SVG. */
const ICON_PATHS: Record<string, string> = {
  history:
    'M13 3c-4.97 0-9 4.03-9 9H1l3.89 3.89.07.14L9 12H6c0-3.87 3.13-7 7-7s7 3.13 7 7-3.13 7-7 7c-1.93 0-3.68-.79-4.94-2.06l-1.42 1.42C8.27 19.99 10.51 21 13 21c4.97 0 9-4.03 9-9s-4.03-9-9-9zm-1 5v5l4.28 2.54.72-1.21-3.5-2.08V8H12z',
  filter_list: 'M10 18h4v-2h-4v2zM3 6v2h18V6H3zm3 7h12v-2H6v2z',
};

/** Registers the icons once per icon registry (call in an injection context). */
export const registerAuditIcons = iconRegistrar(ICON_PATHS);
