<?php

// PHPUnit bootstrap: the plugin runs against Debian's Roundcube (package roundcube-core), as it would once copied
// into its plugins/ folder. ROUNDCUBE_HOME points elsewhere for another installation.
$home = rtrim(getenv('ROUNDCUBE_HOME') ?: '/usr/share/roundcube', '/');
if (!is_file("$home/program/include/iniset.php")) {
    fwrite(STDERR, "Roundcube not found in $home (apt-get install roundcube-core, or set ROUNDCUBE_HOME)\n");
    exit(1);
}
define('INSTALL_PATH', "$home/");
define('RCMAIL_CONFIG_DIR', __DIR__ . '/config');
require_once INSTALL_PATH . 'program/include/iniset.php';
rcmail::get_instance(0, 'test');
require_once __DIR__ . '/../caliop.php';
