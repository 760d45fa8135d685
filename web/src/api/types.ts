/** The API's answers the pages use (api/responses.ts on the server side). */
export interface Sku {
  productId: string;
  skuId: string;
  name: string;
  image: string;
  price: string;
  available: number;
  locked: number;
  total: number;
}

export interface Product {
  productId: string;
  name: string;
  description: string;
  image: string;
  skus: Sku[];
}

export interface OrderItem {
  productId: string;
  skuId: string;
  productName: string;
  price: string;
  quantity: number;
  subtotal: string;
}

export type OrderStatus = 'PENDING_PAYMENT' | 'PAID' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

export interface Order {
  orderId: string;
  orderNo: string;
  status: OrderStatus;
  totalAmount: string;
  actualAmount: string;
  items: OrderItem[];
  createdAt: string;
  paidAt: string | null;
  shippingAddress: { name: string; phone: string; city?: string; detail: string };
}

export interface LoginAnswer {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { userId: string; role: 'user' | 'admin' | 'ops' };
}
