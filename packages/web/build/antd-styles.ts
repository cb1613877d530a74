import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** The stylesheet the app imports first (src/main.tsx); its text is made by this plugin at build time. */
export const FIRST_SCREEN_STYLES = 'virtual:antd-first-screens.css';
const RESOLVED = '\0antd-first-screens.css';

/**
 * Ant Design's styles of the components the first screens show (the console's frame and dashboard, the portal's
 * catalogue), generated at build time with the app's theme into the app's stylesheet, with the map that tells Ant
 * Design's style runtime (@ant-design/cssinjs) which of its styles the stylesheet already holds. In the browser, a
 * component whose style is in the map is not styled again: its style object is not built, serialised, hashed and injected
 * at its first render, about a quarter of React and Ant Design's work on the console's home. Any other component (the
 * screens opened later) is styled at run time as before, and so is every component when the map does not match (another
 * theme, or Ant Design upgraded without a build): its keys hold the hash of theme and version. Ant Design's "zero
 * runtime" mode with its whole 1 MB stylesheet was tried and not kept (docs/benchmarks.md); this is its saving for the
 * first screens' CSS only.
 */
export const antdFirstScreenStyles = (theme: object): Plugin => {
  let root = process.cwd();
  return {
    name: 'dms-antd-first-screen-styles',
    configResolved: (config) => {
      root = config.root;
    },
    resolveId: (id) => (id === FIRST_SCREEN_STYLES ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? firstScreenStyles(root, theme) : undefined),
  };
};

/**
 * Renders the first screens' Ant Design components on the server into a style cache and returns its styles as CSS. Ant
 * Design, React and the style runtime are loaded as CommonJS together, so that they share one style context; the style
 * runtime is Ant Design's own (resolved from its folder), not a second copy.
 */
export const firstScreenStyles = (root: string, theme: object): string => {
  const require = createRequire(join(root, 'package.json'));
  const React = require('react') as typeof import('react');
  const { renderToString } = require('react-dom/server') as typeof import('react-dom/server');
  const antd = require('antd') as typeof import('antd');
  const { createCache, extractStyle, StyleProvider } = createRequire(require.resolve('antd'))('@ant-design/cssinjs') as {
    createCache: () => object;
    extractStyle: (cache: object, options: { plain: boolean; types: string[] }) => string;
    StyleProvider: import('react').ComponentType<{ cache: object; children?: import('react').ReactNode }>;
  };
  const h = React.createElement;
  const { Layout, Menu, Card, Row, Col, Typography, Input, Space } = antd;
  const components = [
    // The console's frame: side menu, header (language, notifications, account), content.
    h(
      Layout,
      { key: 'layout' },
      h(Layout.Sider, { theme: 'dark' }, h(Menu, { theme: 'dark', mode: 'inline', selectedKeys: ['a'], items: [{ key: 'a', label: 'a' }] })),
      h(Layout, null, h(Layout.Header, null, h(antd.Avatar, null, 'a')), h(Layout.Content, null)),
    ),
    h(antd.Dropdown, { key: 'dropdown', menu: { items: [] } }, h('span', null)),
    // The dashboard: headline figures, chart cards with their tools, loading states.
    h(
      Row,
      { key: 'row', gutter: [12, 12] },
      h(Col, { xs: 12, lg: 6 }, h(Card, { size: 'small', title: 't', extra: 'x' }, h(antd.Statistic, { title: 't', value: '1' }))),
      h(Col, { xs: 24 }, h(Card, { size: 'small', loading: true })),
    ),
    h(Typography.Title, { key: 'title', level: 1 }, 't'),
    h(Typography.Text, { key: 'text' }, 't'),
    h(Typography.Paragraph, { key: 'paragraph' }, 't'),
    h(antd.Segmented, { key: 'segmented', size: 'small', options: ['a', 'b'] }),
    h(antd.Tooltip, { key: 'tooltip', title: 't' }, h('span', null)),
    h(antd.Button, { key: 'button', size: 'small' }, 'b'),
    h(antd.Button, { key: 'primary', type: 'primary' }, 'b'),
    h(antd.Button, { key: 'link', type: 'link' }, 'b'),
    h(antd.Select, { key: 'select', size: 'small', showSearch: true, options: [] }),
    h(antd.Tag, { key: 'tag', color: 'green' }, 't'),
    h(antd.Skeleton, { key: 'skeleton', active: true }),
    h(antd.Spin, { key: 'spin' }),
    h(Input, { key: 'input', readOnly: true }),
    h(Space, { key: 'space' }, 's'),
    // The portal's catalogue: the tab bar's badge, the search field, the quantity.
    h(antd.Badge, { key: 'badge', count: 1 }),
    h(Input.Search, { key: 'search' }),
    h(antd.InputNumber, { key: 'number' }),
  ];
  const cache = createCache();
  renderToString(h(StyleProvider, { cache }, h(antd.ConfigProvider, { theme }, ...components)));
  return extractStyle(cache, { plain: true, types: ['style'] });
};
