import { BASE_DISH_TAG_LABELS } from '@yishi/shared/policy';
import { CATEGORY_LABELS } from '@yishi/shared/domain';
import type zh from '../zh/vocabulary';

/** Labels of the shared vocabulary (shared/src/domain/enums.ts): one entry per code. */
const vocabulary: typeof zh = {
  roles: { operator: 'Operator', street: 'Street office', district: 'District bureau', city: 'City bureau', admin: 'Administrator' },
  mealPeriods: { breakfast: 'Breakfast', lunch: 'Lunch', dinner: 'Dinner' },
  supplyModes: {
    own_kitchen: 'Own kitchen',
    unit_canteen: 'Work-unit canteen window',
    catered: 'Catered',
    restaurant: 'Restaurant',
    care_institution: 'Care institution',
    neighbour_help: 'Neighbour help',
  },
  canteenStatus: { open: 'Open', suspended: 'Suspended', closed: 'Closed' },
  orderStates: { awaiting_payment: 'Awaiting payment', paid: 'Paid', ready: 'Ready', completed: 'Completed', cancelled: 'Cancelled', refunded: 'Refunded' },
  paymentMethods: { wallet: 'Wallet', cash: 'Cash', external: 'External' },
  identifyMethods: { card: 'Card', qr: 'QR code', phone_pin: 'Phone + PIN', staff: 'Staff', guest: 'Guest' },
  staffReasons: { forgot_card: 'Forgot the card', card_damaged: 'Card damaged', on_behalf: 'On behalf of the elder', other: 'Other' },
  categoryStates: { pending: 'Awaiting approval', approved: 'Approved', rejected: 'Rejected' },
  fulfilments: { dine_in: 'Dine-in', delivery: 'Delivery' },
  categories: CATEGORY_LABELS.en,
  residentStatus: { active: 'Active', deceased: 'Deceased', moved: 'Moved away', institutionalised: 'In an institution' },
  disability: { none: 'None', light: 'Light', moderate: 'Moderate', severe: 'Severe' },
  gender: { female: 'F', male: 'M' },
  dietNeeds: { diabetes: 'Diabetic', hypertension: 'Hypertension (low salt)', soft_food: 'Soft food', vegetarian: 'Vegetarian', low_fat: 'Low fat' },
  disabilityGrades: { 0: 'No disability certificate', 1: 'Grade 1', 2: 'Grade 2', 3: 'Grade 3', 4: 'Grade 4' },
  dishTags: BASE_DISH_TAG_LABELS.en,
  allergens: {
    peanut: 'Peanut',
    tree_nut: 'Tree nut',
    milk: 'Milk',
    egg: 'Egg',
    fish: 'Fish',
    shellfish: 'Shellfish',
    soy: 'Soy',
    wheat: 'Wheat',
    sesame: 'Sesame',
  },
  cardKinds: { ss_card: 'Social security card', senior_card: 'Senior card', qr: 'QR code' },
  payoutMethods: { cash: 'Cash', transfer: 'Transfer' },
  walletKinds: { topup: 'Top-up', payment: 'Payment', refund: 'Refund', adjustment: 'Adjustment', payout: 'Balance paid out' },
  weekdays: { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' },
};

export default vocabulary;
