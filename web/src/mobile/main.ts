import { createApp } from 'vue'
import {
  Button, Form, Field, CellGroup, Cell, Grid, GridItem, NavBar, Icon, Empty, Tag, List, PullRefresh, Search, DropdownMenu,
  DropdownItem, Popup, Switch, Checkbox, RadioGroup, Radio, Steps, Step, Loading, NoticeBar, Image as VanImage, Divider,
  Tabs, Tab, Signature,
} from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { router } from './router'
import './mobile.css'

const app = createApp(App)
for (const c of [
  Button, Form, Field, CellGroup, Cell, Grid, GridItem, NavBar, Icon, Empty, Tag, List, PullRefresh, Search, DropdownMenu,
  DropdownItem, Popup, Switch, Checkbox, RadioGroup, Radio, Steps, Step, Loading, NoticeBar, VanImage, Divider, Tabs, Tab, Signature,
])
  app.use(c)
app.use(router).mount('#app')
