// The public report entry /r/ (docs/api-hazards.md "群众举报"): no login, Vant only, nothing of the console.
import { createApp } from 'vue'
import { Button, Field, CellGroup, Cell, Icon, Empty, Steps, Step, Loading, NoticeBar } from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { router } from './router'
import './report.css'

const app = createApp(App)
for (const c of [Button, Field, CellGroup, Cell, Icon, Empty, Steps, Step, Loading, NoticeBar]) app.use(c)
app.use(router).mount('#app')
