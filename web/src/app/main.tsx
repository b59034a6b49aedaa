/** The client dashboard (SYS-007), served at /app: the client's own data through its API key. */
import { render } from 'preact';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { Shell } from '../shared/shell';
import { Page } from '../shared/ui';
import '../shared/style.css';
import { Overview } from './pages/overview';
import { Campaigns } from './pages/campaigns';
import { NewCampaign } from './pages/new-campaign';
import { CampaignPage } from './pages/campaign';
import { Leads } from './pages/leads';
import { LeadPage } from './pages/lead';
import { Inbox } from './pages/inbox';
import { ConversationPage } from './pages/conversation';
import { Settings } from './pages/settings';
import { Export } from './pages/export';

const NAV = [
  { href: '/app', label: 'Overview' },
  { href: '/app/campaigns', label: 'Campaigns' },
  { href: '/app/leads', label: 'Leads' },
  { href: '/app/inbox', label: 'Inbox' },
  { href: '/app/settings', label: 'Settings' },
  { href: '/app/export', label: 'Export' },
];

const NotFound = () => (
  <Page title="Not found">
    <p>
      No such page. <a href="/app">Back to the overview</a>
    </p>
  </Page>
);

function App() {
  const { path } = useLocation();
  return (
    <Shell role="client" title="Agency OS" check="/v1/me" nav={NAV} path={path}>
      <Router>
        <Route path="/app" component={Overview} />
        <Route path="/app/campaigns" component={Campaigns} />
        <Route path="/app/campaigns/new" component={NewCampaign} />
        <Route path="/app/campaigns/:id" component={CampaignPage} />
        <Route path="/app/leads" component={Leads} />
        <Route path="/app/leads/:id" component={LeadPage} />
        <Route path="/app/inbox" component={Inbox} />
        <Route path="/app/inbox/:id" component={ConversationPage} />
        <Route path="/app/settings" component={Settings} />
        <Route path="/app/export" component={Export} />
        <Route default component={NotFound} />
      </Router>
    </Shell>
  );
}

render(
  <LocationProvider>
    <App />
  </LocationProvider>,
  document.getElementById('root')!,
);
