const statusElement = document.getElementById('status');
if (statusElement) statusElement.textContent = 'Not connected to LinkedIn yet.';
