/** t_stock_reservation.status: one row per order and SKU moves from reserved to confirmed (sold) or released. */
export const ReservationStatus = { RESERVED: 0, CONFIRMED: 1, RELEASED: 2 } as const;
export type ReservationStatusName = keyof typeof ReservationStatus;
