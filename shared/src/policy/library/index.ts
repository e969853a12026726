import type { PolicyDocument } from '../schema';
import { baiyunDietMeals, haizhuDailyAllowance, liwanCap } from './demo';
import { guangzhou2024, tianheTopUp } from './guangzhou';
import { hangzhou } from './hangzhou';
import { hefeiDietMeals } from './hefei';
import { shenzhen } from './shenzhen';
import { tianjin } from './tianjin';
import { zengchengDistrict, zengchengTown } from './zengcheng';
import { zhongshan } from './zhongshan';
import { zhuhai } from './zhuhai';

export { guangzhou2024, tianheTopUp, GUANGZHOU_MIN_MEAL_PRICE_FEN } from './guangzhou';
export { zengchengDistrict, zengchengTown, ZENGCHENG_DISTRICT, ZENGCHENG_DEMO_TOWN } from './zengcheng';
export { shenzhen } from './shenzhen';
export { zhuhai } from './zhuhai';
export { tianjin } from './tianjin';
export { hangzhou } from './hangzhou';
export { zhongshan } from './zhongshan';
export { hefeiDietMeals } from './hefei';
export { haizhuDailyAllowance, baiyunDietMeals, liwanCap } from './demo';

/** Every shipped policy document, by a stable slug (usable as a seed version id). */
export const POLICY_LIBRARY: Readonly<Record<string, PolicyDocument>> = {
  'guangzhou-2024': guangzhou2024,
  'tianhe-top-up': tianheTopUp,
  'zengcheng-district': zengchengDistrict,
  'zengcheng-town': zengchengTown,
  shenzhen,
  zhuhai,
  tianjin,
  hangzhou,
  zhongshan,
  'hefei-diet-meals': hefeiDietMeals,
  'haizhu-daily-allowance': haizhuDailyAllowance,
  'baiyun-diet-meals': baiyunDietMeals,
  'liwan-cap': liwanCap,
};
