// 简体中文: both plan generations' words (see en-plans.ts). Typed against the English keys: a missing or extra
// key does not compile.
import type { enPlans } from './en-plans';
import type { Message } from './en';

export const zhCNPlans: Record<keyof typeof enPlans, Message> = {
  'plans.window.5h': '5 小时',
  'plans.window.weekly': '每周',
  'plans.window.weeklyShort': '本周',

  'plans.gauge.unlimited': '不限量',
  'plans.gauge.percentLeft': '剩余 {percent}%',
  'plans.gauge.percentLeftEstimate': '剩余约 {percent}%',
  'plans.gauge.percentUsed': '已用 {percent}%',
  'plans.gauge.percentUsedEstimate': '已用约 {percent}%',
  'plans.gauge.percentAmount': '约 {percent}%',
  'plans.gauge.requestsAmount': '{count} 次请求',
  'plans.gauge.elsewhere': '检测到其他来源的用量',
  'plans.gauge.elsewhereHelp':
    'MiniMax 在{window}窗口中统计的用量比本应用多 {amount}：另一个工具（编程助手？）在使用这个密钥。额度条以 MiniMax 的数字为准。',
  'plans.gauge.estimate': '估算',
  'plans.gauge.estimateHelp': '由应用自己的记录换算：MiniMax 未公布 M Plan 的换算比例，在拿到 MiniMax 的数字之前，这是已知最好的估算。',
  'plans.gauge.boost': '加成 ×{multiplier}',
  'plans.gauge.weeklyHelp': '每周窗口：所有模型都计入（在 M Plan 中，视频只计入这里）。',

  'plans.cost.percent5h': '约占 5 小时的 {percent}%',
  'plans.cost.percentWeekly': '约占本周的 {percent}%',
  'plans.cost.leaves5h': '之后 5 小时窗口剩余约 {left}%（估算）',
  'plans.cost.leavesWeekly': '之后每周窗口剩余约 {left}%（估算）',
  'plans.cost.never5h': '超过此套餐整个 5 小时窗口的额度',
  'plans.cost.neverWeekly': '超过此套餐整个每周窗口的额度',
  'plans.cost.over5h': '5 小时窗口余量不足，{at} 时足够',
  'plans.cost.overWeekly': '受每周上限限制，{at} 重置',

  'plans.ask.over': '这需要{window}窗口的约 {cost}%（估算），而该窗口剩余 {left}%。',
  'plans.ask.overEstimate': '这需要{window}窗口的约 {cost}%，而该窗口剩余约 {left}%（均为估算）。',
  'plans.ask.never': '这超过了整个{window}窗口。',
  'plans.ask.videoWeekly': '在 M Plan 中，视频只计入每周窗口。',
  'plans.ask.fits': '这需要{window}窗口的约 {cost}%（估算）。',

  'plans.spend.weeklyNow': '当前每周窗口',
  'plans.spend.resets': '{at} 重置',
  'plans.spend.periodTotal': '最近 {count} 天的用量',
  'plans.spend.periodShare': '占一个每周窗口的份额，含两种密钥（估算）',
  'plans.spend.perDayShare': '每日用量，按每周窗口的份额计（约数，含两种密钥）',
  'plans.spend.windowOverTimeShare': '5 小时窗口的变化（约占窗口的份额）',
  'plans.spend.inWindowShare': '已用（约 %）',
  'plans.spend.limitLine': '整个窗口（100%）',

  'plans.notInPlan': '不在你的套餐中：{reason}',
  'plans.model.notInPlanOption': '{label}（不在你的套餐中）',
  'plans.model.older': '较早的模型',

  'plans.settings.family': '套餐类型',
  'plans.settings.family.auto': '从 MiniMax 自动识别',
  'plans.settings.family.tokenPlan': 'Token Plan：每 5 小时的请求数',
  'plans.settings.family.mPlan': 'M Plan（Go、Explore、Build）',
  'plans.settings.familyHelp':
    'MiniMax 向新订阅者提供 M Plan（Go、Explore、Build）；Token Plan 订阅者保留原套餐。“自动识别”会读取 MiniMax 对你的密钥的回答。',
  'plans.settings.detected': '已为此密钥识别：{label}',
  'plans.settings.notDetected': '尚未识别：在 MiniMax 回答之前，应用按 Token Plan 计算。',
  'plans.settings.chosen': '按 {label} 计算（你的选择）',
  'plans.settings.mPlanTier': 'M Plan 档位',
  'plans.settings.mTier.go': 'Go：不含视频',
  'plans.settings.mTier.explore': 'Explore：Go 的 3 倍，含 MiniMax-H3',
  'plans.settings.mTier.build': 'Build：Go 的 7.5 倍，含 MiniMax-H3',
  'plans.settings.mPlanHelp': '以各窗口的百分比显示。视频只计入每周窗口；套餐用完后，密钥按按量计费价格使用额度。',

  'plans.video.mode.reference': '参考图',
  'plans.video.older': 'Hailuo 2.3 和 02 是较早的视频模型；MiniMax-H3 是当前模型。',
  'plans.video.reference': '参考图 {n}',
  'plans.video.addReference': '添加参考图（{count}/{max}）',
  'plans.video.needReference': '请至少添加一张参考图。',
  'plans.video.ratio': '画面比例',
  'plans.video.generateAudio': '生成自带音轨',

  'plans.music.unknownTitle': '这个密钥能用音乐吗？',
  'plans.music.unknownBody':
    'MiniMax 已于 2026 年 8 月 20 日对新账号关闭音乐接口。一次歌词请求（约 75 次请求，歌词会保存在作品库中）即可确认你的密钥是否仍可使用。',
  'plans.music.check': '检查音乐权限',
  'plans.music.checkAgain': '再次检查',
  'plans.music.checking': '正在检查…',
  'plans.music.unavailableTitle': '此密钥不能使用音乐',
  'plans.music.unavailableBody': 'MiniMax 拒绝了此密钥的音乐和歌词请求：{reason}',
  'plans.music.instead': '制作短片时，MiniMax-H3 片段可以自带音轨（视频 →“生成自带音轨”）。',

  'plans.recover.offerTitle': 'MiniMax 上有 {count} 个作品库中没有的已付费视频',
  'plans.recover.offerBody': '最近 7 天内用此密钥生成（由其他工具生成，或因崩溃丢失）。导入会下载视频，不会再次付费。',
  'plans.recover.import': '导入',
  'plans.recover.byId': '按 MiniMax 任务 ID 找回视频',
  'plans.recover.taskId': '任务 ID',
  'plans.recover.placeholder': '例如 3a1f…',
  'plans.recover.submit': '找回',
  'plans.recover.working': '正在找回…',
  'plans.recover.help': 'MiniMax 会保留任务 7 天。该任务会成为一个下载其视频的任务，绝不会再次付费生成。',
  'plans.recover.done': '任务 {id} 已成为一个任务：视频正在下载到作品库。',
};
