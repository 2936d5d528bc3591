<?php
// A reseller panel's API client written the way the widely copied PHP class is: form posts through curl,
// redirects followed, TLS checks off, an old MSIE User-Agent, and refill helpers that send NO action field.
// Written for these tests from the protocol's description; it is what existing panels run unchanged.
class PanelApi
{
    public $api_url;
    public $api_key;

    public function __construct($url, $key) { $this->api_url = $url; $this->api_key = $key; }

    public function order($data) { return json_decode($this->connect(array_merge(['key' => $this->api_key, 'action' => 'add'], $data))); }
    public function status($order_id) { return json_decode($this->connect(['key' => $this->api_key, 'action' => 'status', 'order' => $order_id])); }
    public function multiStatus($order_ids) { return json_decode($this->connect(['key' => $this->api_key, 'action' => 'status', 'orders' => implode(',', (array)$order_ids)])); }
    public function services() { return json_decode($this->connect(['key' => $this->api_key, 'action' => 'services'])); }
    public function refill(int $orderId) { return json_decode($this->connect(['key' => $this->api_key, 'order' => $orderId])); }
    public function multiRefill(array $orderIds) { return json_decode($this->connect(['key' => $this->api_key, 'orders' => implode(',', $orderIds)]), true); }
    public function refillStatus(int $refillId) { return json_decode($this->connect(['key' => $this->api_key, 'refill' => $refillId])); }
    public function multiRefillStatus(array $refillIds) { return json_decode($this->connect(['key' => $this->api_key, 'refills' => implode(',', $refillIds)]), true); }
    public function cancel(array $orderIds) { return json_decode($this->connect(['key' => $this->api_key, 'action' => 'cancel', 'orders' => implode(',', $orderIds)]), true); }
    public function balance() { return json_decode($this->connect(['key' => $this->api_key, 'action' => 'balance'])); }

    private function connect($post)
    {
        $_post = [];
        if (is_array($post)) {
            foreach ($post as $name => $value) { $_post[] = $name . '=' . urlencode($value); }
        }
        $ch = curl_init($this->api_url);
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
        curl_setopt($ch, CURLOPT_POST, 1);
        curl_setopt($ch, CURLOPT_FOLLOWLOCATION, true);
        curl_setopt($ch, CURLOPT_HEADER, 0);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, 0);
        curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);
        if (is_array($post)) { curl_setopt($ch, CURLOPT_POSTFIELDS, join('&', $_post)); }
        curl_setopt($ch, CURLOPT_USERAGENT, 'Mozilla/4.0 (compatible; MSIE 5.01; Windows NT 5.0)');
        $result = curl_exec($ch);
        if (curl_errno($ch) != 0 && empty($result)) { $result = false; }
        curl_close($ch);
        return $result;
    }
}

// Driver: php panel-client.php <url> <key> <method> [json-encoded arguments]; prints the method's result as JSON.
[$script, $url, $key, $method] = $argv;
$args = isset($argv[4]) ? json_decode($argv[4], true) : [];
$api = new PanelApi($url, $key);
echo json_encode(call_user_func_array([$api, $method], $args));
