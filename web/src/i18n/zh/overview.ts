/** The area overview of canteens. */
const overview = {
  overview: {
    title: '辖区饭堂总览',
    canteens: '饭堂数',
    todayOrders: '今日订单',
    subsidisedMeals: '今日补贴餐',
    revenue: '今日已收',
    district: '区',
    street: '街道',
    supplyMode: '供餐模式',
    code: '编号',
    open: '进入',
    operator: '运营机构',
    seats: '座位',
    service: '服务',
    filterDistrict: '按区筛选',
    filterMode: '按模式筛选',
    searchPlaceholder: '搜索饭堂名称或编号',
    chartTitle: '各区今日订单',
  },
};

export default overview;
