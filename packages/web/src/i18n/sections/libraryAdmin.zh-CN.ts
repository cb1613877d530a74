import type { Catalogue } from '../en';
import type { libraryAdmin as en } from './libraryAdmin.en';

/** 控制台资料库后来加入的文案（更改资料的适用范围；与 libraryAdmin.en.ts 键相同，测试会检查）。 */
export const libraryAdmin: Catalogue<typeof en> = {
  changeTargeting: '更改适用范围',
  targetingNamed: '{{name}} 的适用范围',
  targetingChanged: '已更改 {{name}} 的适用范围',
  targetingEffect: '不再选中的经销商将看不到它；新选中的经销商在其发布期间可以看到。',
};
