/** The workflows of the order worker's task queue `orders`: the order saga and the reconciler. */
export { orderSaga } from './order-saga';
export { reconcile } from './reconcile';
