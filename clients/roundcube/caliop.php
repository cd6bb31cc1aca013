<?php

/**
 * caliop privacy grade
 *
 * Shows the privacy grade that caliop wrote into a message (the Caliop-Privacy, Caliop-Path and Caliop-Hop header
 * fields) as a badge next to its subject, and the report (summary, hops, reasons) when the badge is clicked.
 * Nothing but those three header fields is read; the parsing and the words are caliop's client module
 * (js/caliop-headers.js, built from clients/caliop-headers), the same as in the viewer page and the Thunderbird
 * add-on. See docs/clients.md in caliop.
 *
 * Configuration (plugins/caliop/config.inc.php, from config.inc.php.dist):
 *   $config['caliop_trusted_stampers']: the host names of the mail server(s) running caliop for your users, as
 *   written in by= of Caliop-Privacy. A grade counts as checked only when its by= names one of them; others are
 *   shown as "not verified by your server". Default: none (every grade unverified).
 */
class caliop extends rcube_plugin
{
    public $task = 'mail';

    /** The header fields read (lower case, as Roundcube keys them), and the key each has in the page's env. */
    const FIELDS = ['caliop-privacy' => 'privacy', 'caliop-path' => 'path', 'caliop-hop' => 'hop'];

    /** Longest value handed to the page: one more than the script reads, so it reports longer ones as malformed. */
    const MAX_VALUE = 4097;

    /** At most this many server names are taken from the configuration. */
    const MAX_STAMPERS = 32;

    public function init()
    {
        $this->load_config();
        $this->add_hook('storage_init', [$this, 'storage_init']);
        $this->add_hook('message_load', [$this, 'message_load']);
    }

    /** Asks the IMAP server for our three fields with every message's headers. */
    public function storage_init($args)
    {
        $have = preg_split('/\s+/', trim((string) ($args['fetch_headers'] ?? '')), -1, PREG_SPLIT_NO_EMPTY);
        $want = array_map('strtoupper', array_keys(self::FIELDS));
        $args['fetch_headers'] = implode(' ', array_unique(array_merge($have, $want)));
        return $args;
    }

    /** On the message view (show, preview): hands our fields and the configured servers to the page's script. */
    public function message_load($args)
    {
        $rcmail = rcmail::get_instance();
        if (!in_array($rcmail->action, ['show', 'preview'], true) || empty($args['object']->headers)) {
            return $args;
        }
        $env = self::fields_of($args['object']->headers);
        $env['stampers'] = self::stampers($rcmail->config->get('caliop_trusted_stampers', []));
        $rcmail->output->set_env('caliop', $env);
        $this->include_stylesheet('caliop.css');
        $this->include_script('js/caliop-headers.js');
        $this->include_script('caliop.js');
        return $args;
    }

    /**
     * The topmost value of each field and how many the message carries. Roundcube keeps a repeated field as an
     * array, top first; our server removes foreign Caliop-* fields before it writes its own, so the topmost is ours.
     */
    public static function fields_of($headers)
    {
        $others = is_object($headers) && is_array($headers->others ?? null) ? $headers->others : [];
        $out = ['counts' => []];
        foreach (self::FIELDS as $name => $key) {
            $values = array_values(array_filter((array) ($others[$name] ?? []), 'is_string'));
            $out[$key] = $values ? substr($values[0], 0, self::MAX_VALUE) : null;
            $out['counts'][$key] = count($values);
        }
        return $out;
    }

    /** The configured server names, from an array or a comma/space-separated string, without empties. */
    public static function stampers($config)
    {
        $list = is_array($config) ? $config : preg_split('/[\s,]+/', (string) $config);
        $names = [];
        foreach ($list as $name) {
            $name = strtolower(trim((string) $name));
            if ($name !== '' && strlen($name) <= 255 && !in_array($name, $names, true)) {
                $names[] = $name;
            }
        }
        return array_slice($names, 0, self::MAX_STAMPERS);
    }
}
