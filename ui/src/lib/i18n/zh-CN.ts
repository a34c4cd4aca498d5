// 简体中文. Typed against the English catalog: a missing or extra key does not compile.
import type { Message, MessageKey } from './en';

export const zhCN: Record<MessageKey, Message> = {
  'app.name': 'Token Plan Studio',
  'app.navigation': '主导航',

  'screen.settings': '设置',

  'sidebar.collapse': '收起侧边栏',
  'sidebar.expand': '展开侧边栏',

  'startup.title': '无法读取你的设置',
  'startup.hint': '没有任何内容被更改。请先解决下面的问题，然后重试。',
  'startup.retry': '重试',
  'startup.retrying': '正在重试…',

  'error.traceId': '追踪 ID：{id}',
  'error.dismiss': '关闭',

  'settings.loading': '正在加载设置…',
  'settings.saveFailed': '此项更改未能保存',

  'settings.appearance': '外观',
  'settings.theme': '主题',
  'settings.theme.system': '跟随系统',
  'settings.theme.light': '浅色',
  'settings.theme.dark': '深色',
  'settings.language': '语言',
  'settings.language.system': '跟随系统',

  'settings.tokenPlan': 'Token Plan 套餐',
  'settings.tokenPlan.help': '应用中的所有消耗都按这个套餐的额度来计算。',
  'settings.region': '区域',
  'settings.region.global': '国际 — api.minimax.io',
  'settings.region.mainland': '中国大陆 — api.minimaxi.com',
  'settings.region.custom': '自定义地址',
  'settings.region.help': 'Token Plan 密钥只能在签发它的区域对应的地址上使用。',
  'settings.host': '服务地址',
  'settings.host.placeholder': 'https://proxy.example.com',
  'settings.host.help': '代理服务器或本地模拟器的地址。按回车键或离开输入框时保存。',
  'settings.plan': '套餐',
  'settings.plan.help': '极速套餐包含 MiniMax-M2.7-highspeed 模型，每次调用计 2 次请求。',
  'settings.plan.standardGroup': '标准套餐',
  'settings.plan.highspeedGroup': '极速套餐',
  'settings.plan.option': '{name} — 每 5 小时 {count} 次请求',
  'settings.plan.loadFailed': '无法加载套餐列表：{message}',
  'settings.quota': '自定义额度',
  'settings.quota.placeholder': '使用套餐额度',
  'settings.quota.unit': '次请求',
  'settings.quota.usingPublished': '当前按每 5 小时 {count} 次请求计算，即 {plan}的公布额度。仅当你的实际额度与此不同时才需填写。',
  'settings.quota.usingOverride': '当前按每 5 小时 {count} 次请求计算（你的自定义额度；{plan}公布的额度为 {published} 次）。',
  'settings.quota.notWhole': '请输入整数的请求次数，或将此项留空。',

  'settings.about': '关于',
  'settings.about.version': '版本',
  'settings.about.dataDir': '数据文件夹',
  'settings.about.logDir': '日志文件夹',
  'settings.about.loadFailed': '无法读取应用信息：{message}',

  'tier.starter': 'Starter',
  'tier.plus': 'Plus',
  'tier.max': 'Max',
  'tier.plusHighspeed': 'Plus 极速版',
  'tier.maxHighspeed': 'Max 极速版',
  'tier.ultraHighspeed': 'Ultra 极速版',
};
