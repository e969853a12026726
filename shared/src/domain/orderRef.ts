/**
 * 订单尾号: the end of an order's id, upper case. A kiosk that saves an order with the network down tells the
 * elder to quote it at the counter (and prints it on the ticket); staff find the order by it (GET /orders?ref=),
 * and the console shows it on offline orders, flagged ones and refused ones.
 */
export const ORDER_REF_LENGTH = 6;

export function orderRef(orderId: string): string {
  return orderId.slice(-ORDER_REF_LENGTH).toUpperCase();
}
