import { ConnectionPanel } from './connection-panel';
import { ReportsPanel } from './reports-panel';

const app = document.getElementById('app')!;
const reports = new ReportsPanel();
const connection = new ConnectionPanel((status) => {
  reports.root.hidden = !status.connected;
  if (status.connected) void reports.load();
});
reports.root.hidden = true;
app.append(connection.root, reports.root);
connection.render();
void connection.load();
