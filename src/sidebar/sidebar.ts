import { ConnectionPanel } from './connection-panel';
import { ReportsPanel } from './reports-panel';

const app = document.getElementById('app')!;
// The list shows with or without a working connection: the cards say which report failed and
// why, and deleting or pausing one needs no LinkedIn call (the panel says what does).
const connection = new ConnectionPanel((status) => {
  reports.setConnection(status);
  void reports.load();
});
// A run may fail because LinkedIn ended the connection: the panel above reads it again.
const reports = new ReportsPanel(() => void connection.load());
reports.root.hidden = true;
app.append(connection.root, reports.root);
connection.render();
void connection.load();
