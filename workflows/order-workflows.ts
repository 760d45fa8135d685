/** The workflows of the order worker's task queue `orders`: the order saga. */
export { orderSaga } from './order-saga';
