<?php

// Roundcube's own defaults from the installation under test (Debian keeps them in /etc/roundcube).
require (getenv('ROUNDCUBE_DEFAULTS_DIR') ?: '/etc/roundcube') . '/defaults.inc.php';
