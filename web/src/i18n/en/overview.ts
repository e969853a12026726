import type zh from '../zh/overview';

/** The area overview of canteens. */
const overview: typeof zh = {
  overview: {
    title: 'Canteens in my area',
    canteens: 'Canteens',
    todayOrders: 'Orders today',
    subsidisedMeals: 'Subsidised meals',
    revenue: 'Received today',
    district: 'District',
    street: 'Street',
    supplyMode: 'Supply mode',
    code: 'Code',
    open: 'Open',
    operator: 'Operator',
    seats: 'Seats',
    service: 'Service',
    filterDistrict: 'District',
    filterMode: 'Mode',
    searchPlaceholder: 'Search by name or code',
    chartTitle: 'Orders today by district',
  },
};

export default overview;
