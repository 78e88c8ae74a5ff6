import { ConnectionPanel } from './connection-panel';

const app = document.getElementById('app')!;
const connection = new ConnectionPanel(() => undefined);
app.append(connection.root);
connection.render();
void connection.load();
