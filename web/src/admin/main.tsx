/** The admin console (SYS-006, RP-002, ED-004), served at /admin: every client, through the admin key. */
import { render } from 'preact';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { Shell } from '../shared/shell';
import { Page } from '../shared/ui';
import '../shared/style.css';
import { PoolPage } from './pages/pool';
import { AlertsPage } from './pages/alerts';
import { ClientsPage } from './pages/clients';
import { ClientPage } from './pages/client';
import { CampaignsPage } from './pages/campaigns';
import { LeadsPage } from './pages/leads';
import { LeadPage } from './pages/lead';
import { SchedulesPage } from './pages/schedules';

const NAV = [
  { href: '/admin', label: 'Pool' },
  { href: '/admin/clients', label: 'Clients' },
  { href: '/admin/alerts', label: 'Alerts' },
  { href: '/admin/campaigns', label: 'Campaigns' },
  { href: '/admin/leads', label: 'Leads' },
  { href: '/admin/schedules', label: 'Schedules' },
];

const NotFound = () => (
  <Page title="Not found">
    <p>
      No such page. <a href="/admin">Back to the pool</a>
    </p>
  </Page>
);

function Admin() {
  const { path } = useLocation();
  return (
    <Shell role="admin" title="Agency OS admin" check="/v1/admin/clients" nav={NAV} path={path}>
      <Router>
        <Route path="/admin" component={PoolPage} />
        <Route path="/admin/clients" component={ClientsPage} />
        <Route path="/admin/clients/:id" component={ClientPage} />
        <Route path="/admin/alerts" component={AlertsPage} />
        <Route path="/admin/campaigns" component={CampaignsPage} />
        <Route path="/admin/leads" component={LeadsPage} />
        <Route path="/admin/leads/:id" component={LeadPage} />
        <Route path="/admin/schedules" component={SchedulesPage} />
        <Route default component={NotFound} />
      </Router>
    </Shell>
  );
}

render(
  <LocationProvider>
    <Admin />
  </LocationProvider>,
  document.getElementById('root')!,
);
