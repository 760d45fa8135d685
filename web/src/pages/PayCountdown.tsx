/** The time left to pay an order before its payment timeout cancels it, counting down every second. */
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useT } from '../i18n/language';
import { formatCountdown } from './countdown';

export function PayCountdown({ payBefore }: { payBefore: string }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Date.parse(payBefore) - now;
  return (
    <Alert
      type={left > 0 ? 'info' : 'warning'}
      showIcon
      data-testid="pay-countdown"
      title={left > 0 ? t('order.payWithin', { left: formatCountdown(left) }) : t('order.payExpired')}
    />
  );
}
