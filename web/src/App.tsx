/** The shop's frame: header with the cart and the account, and the pages (each loaded when first opened). */
import { lazy, Suspense } from 'react';
import { Button, Layout, Select, Space, Spin } from 'antd';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { api } from './api/client';
import { useCart } from './stores/cart';
import { useSession, type Role } from './stores/session';
import { useLanguage, useT, type Language } from './i18n/language';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const CatalogPage = lazy(() => import('./pages/CatalogPage'));
const CartPage = lazy(() => import('./pages/CartPage'));
const OrdersPage = lazy(() => import('./pages/OrdersPage'));
const OrderPage = lazy(() => import('./pages/OrderPage'));
const AdminOrdersPage = lazy(() => import('./pages/admin/AdminOrdersPage'));
const AdminOrderPage = lazy(() => import('./pages/admin/AdminOrderPage'));
const DashboardPage = lazy(() => import('./pages/admin/DashboardPage'));
const OpsPage = lazy(() => import('./pages/ops/OpsPage'));
const AdminCatalogPage = lazy(() => import('./pages/admin/AdminCatalogPage'));

/** The page for a signed-in person (of one of `roles`, when given); others go to the login page. */
function SignedIn({ children, roles }: { children: React.ReactNode; roles?: Role[] }) {
  const session = useSession((s) => s.session);
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (roles && !roles.includes(session.role)) return <Navigate to="/" replace />;
  return children;
}

const STAFF: Role[] = ['admin', 'ops'];

export default function App() {
  const session = useSession((s) => s.session);
  const signOut = useSession((s) => s.signOut);
  const count = useCart((s) => s.lines.reduce((n, l) => n + l.quantity, 0));
  const location = useLocation();
  const t = useT();
  const { language, setLanguage } = useLanguage();

  const logout = async () => {
    await api('POST', '/v1/auth/logout', {}).catch(() => undefined);
    signOut();
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
        <Link to="/" style={{ color: '#fff', fontWeight: 600 }}>
          DOOS
        </Link>
        <nav aria-label="DOOS" style={{ display: 'flex', gap: 16, flex: 1, minWidth: 0 }}>
          {[
            { to: '/', label: t('app.catalog') },
            { to: '/orders', label: t('app.myOrders') },
            ...(session && STAFF.includes(session.role)
              ? [
                  { to: '/admin/dashboard', label: t('dash.nav') },
                  { to: '/admin/orders', label: t('admin.nav') },
                  { to: '/ops', label: t('ops.nav') },
                ]
              : []),
            ...(session?.role === 'admin' ? [{ to: '/admin/catalog', label: t('catalogAdmin.nav') }] : []),
          ].map((item) => (
            <Link
              key={item.to}
              to={item.to}
              aria-current={location.pathname === item.to ? 'page' : undefined}
              style={{ color: location.pathname === item.to ? '#fff' : '#c9d1d9' }}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <Space>
          <Link to="/cart" style={{ color: '#fff' }}>
            {t('app.cartItems', { count })}
          </Link>
          {session ? (
            <Button size="small" onClick={() => void logout()}>
              {t('app.logout', { username: session.username })}
            </Button>
          ) : (
            <Link to="/login" style={{ color: '#fff' }}>
              {t('app.login')}
            </Link>
          )}
          <Select<Language>
            size="small"
            aria-label={t('app.language')}
            value={language}
            onChange={setLanguage}
            options={[
              { value: 'en', label: 'English' },
              { value: 'zh-CN', label: '简体中文' },
            ]}
          />
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Suspense fallback={<Spin />}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/" element={<CatalogPage />} />
              <Route
                path="/cart"
                element={
                  <SignedIn>
                    <CartPage />
                  </SignedIn>
                }
              />
              <Route
                path="/orders"
                element={
                  <SignedIn>
                    <OrdersPage />
                  </SignedIn>
                }
              />
              <Route
                path="/orders/:orderId"
                element={
                  <SignedIn>
                    <OrderPage />
                  </SignedIn>
                }
              />
              <Route
                path="/admin/orders"
                element={
                  <SignedIn roles={STAFF}>
                    <AdminOrdersPage />
                  </SignedIn>
                }
              />
              <Route
                path="/admin/catalog"
                element={
                  <SignedIn roles={['admin']}>
                    <AdminCatalogPage />
                  </SignedIn>
                }
              />
              <Route
                path="/ops"
                element={
                  <SignedIn roles={STAFF}>
                    <OpsPage />
                  </SignedIn>
                }
              />
              <Route
                path="/admin/dashboard"
                element={
                  <SignedIn roles={STAFF}>
                    <DashboardPage />
                  </SignedIn>
                }
              />
              <Route
                path="/admin/orders/:orderRef"
                element={
                  <SignedIn roles={STAFF}>
                    <AdminOrderPage />
                  </SignedIn>
                }
              />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </main>
      </Layout.Content>
    </Layout>
  );
}
