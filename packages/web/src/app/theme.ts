/**
 * Brand colours: a calm industrial blue. Secondary text, placeholders, links (and hovered links), danger and warning are darker than Ant
 * Design's defaults (#8c8c8c, #bfbfbf, #1677ff, #ff4d4f, #faad14), so that every text meets WCAG AA contrast (4.5:1) on
 * white and on the light grey page (axe-core in the browser tests). The default (light) algorithm applies without being named:
 * naming it imported `theme`, and with it the dark and compact algorithms, into every first screen.
 */
export const THEME = {
  token: {
    colorPrimary: '#1d5fbf',
    // Darker when hovered, not lighter: white on the derived light blue (#3f7ccc) is 4.22:1, below AA.
    colorPrimaryHover: '#174f9f',
    colorLink: '#1d5fbf',
    colorLinkHover: '#0f3d80',
    colorError: '#cf1322',
    colorWarning: '#8c5300',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    borderRadius: 6,
    fontSize: 14,
  },
};
