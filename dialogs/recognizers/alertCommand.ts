import { normalize } from '../../understanding/index.js';

/** What an admin asked of alerts, typed or from an alert card. */
export type AlertCommand =
  | { readonly name: 'on' }
  | { readonly name: 'off' }
  | { readonly name: 'list' }
  | { readonly name: 'ack'; readonly alertId: string }
  | { readonly name: 'status'; readonly requirementId: string };

/** Typed alert commands in the three languages, normalized as `normalize` does. */
const PHRASES: ReadonlyArray<readonly ['on' | 'off' | 'list', readonly string[]]> = [
  ['on', [
    'alerts on', 'alert on', 'turn alerts on', 'turn on alerts', 'enable alerts', 'subscribe to alerts', 'start alerts',
    'alertes on', 'alerte on', 'activer les alertes', 'activer alertes', 'active les alertes', 's abonner aux alertes', 'abonner aux alertes',
    '开启提醒', '打开提醒', '启用提醒', '订阅提醒', '开启警报', '打开警报', '订阅警报', '开启通知', '提醒 开',
  ]],
  ['off', [
    'alerts off', 'alert off', 'turn alerts off', 'turn off alerts', 'disable alerts', 'unsubscribe from alerts', 'stop alerts',
    'alertes off', 'alerte off', 'desactiver les alertes', 'desactiver alertes', 'desactive les alertes', 'se desabonner des alertes', 'arreter les alertes',
    '关闭提醒', '停用提醒', '取消订阅提醒', '取消提醒', '关闭警报', '取消订阅警报', '关闭通知', '提醒 关',
  ]],
  ['list', [
    'alerts', 'alert channels', 'alerts channels', 'list alert channels', 'alerts list', 'list alerts', 'where do alerts go', 'alerts status',
    'alertes', 'canaux d alerte', 'canaux des alertes', 'liste des alertes', 'lister les canaux d alerte', 'ou vont les alertes',
    '提醒频道', '警报频道', '提醒列表', '查看提醒频道', '提醒订阅', '提醒发到哪里',
  ]],
];

const LOOKUP = new Map(PHRASES.flatMap(([name, phrases]) => phrases.map((p) => [p, name] as const)));

/** Recognizes "alerts on", "alertes off", "提醒频道" and the like; undefined for anything else. */
export function recognizeAlertCommand(text: string): AlertCommand | undefined {
  const name = LOOKUP.get(normalize(text));
  return name ? { name } : undefined;
}
